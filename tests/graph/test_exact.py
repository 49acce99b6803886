"""`RecordGraph.link_exact` against a real Neo4j: records stored and linked by exact
identifiers in one transaction, close pairs (as the caller judges them) queued for review."""

from __future__ import annotations

import json

from neo4j import Driver

from stormops.core.settings import Settings
from stormops.graph import delete_tenant
from stormops.graph.records import RecordGraph
from stormops.matching.normalize import RECORD_COLUMNS, with_derived


def _record(record_id: str, **values: str) -> dict[str, str | None]:
    return with_derived({"record_id": record_id, **values})


def _slots(*keys: str) -> list[str | None]:
    return [*keys, *[None] * (16 - len(keys))]


def test_records_link_by_exact_identifiers_and_close_pairs_are_queued(
    driver: Driver, settings: Settings, tenant: str
) -> None:
    graph = RecordGraph(driver, settings.neo4j_database, columns=RECORD_COLUMNS)
    records = [
        _record("r1", email="ann@x.co", first_name="ann", last_name="lee"),
        _record("r2", email="ann@x.co", phone="+12145550100", first_name="ann"),
        _record("r3", first_name="zed", last_name="lee"),  # no identifier: founds its own
        _record("r1", email="ann@x.co", first_name="ann", last_name="lee", dob="1970-01-01"),
    ]
    judged: list[tuple[str, list[str]]] = []

    def judge(record, candidates):
        judged.append((record["record_id"], [c["record_id"] for c in candidates]))
        return [(i, {"reason": "close_pair", "weight": 1.0}) for i in range(len(candidates))]

    links, reviews = graph.link_exact(
        tenant, records, [{}, {"Notes": "call"}, {}, {}],
        [_slots("lee"), _slots("lee"), _slots("lee"), _slots("lee")], lines=[2, 3, 4, 5],
        close_pairs=judge, model_version="m1")
    by_id = {link.record_id: link for link in links}
    assert list(by_id) == ["r1", "r2", "r3"]  # r1 repeated: its last row (line 5), first place
    assert by_id["r1"].identity_id == by_id["r2"].identity_id != by_id["r3"].identity_id
    assert by_id["r3"].outcome == "created" and by_id["r3"].queued
    # r3 shares a blocking key with r1 and r2, whose identity differs: one review item
    assert reviews == 1 and judged
    with driver.session(database=settings.neo4j_database) as session:
        stored = {row["id"]: row for row in session.run(
            "MATCH (r:Record {tenant_id: $t})-[l:LINK]->(i:Identity) RETURN r.record_id AS id,"
            " r.line AS line, r.extra AS extra, r.dob AS dob, l.method AS method,"
            " l.evidence AS evidence", t=tenant)}
        [item] = session.run("MATCH (v:ReviewItem {tenant_id: $t}) RETURN v.evidence AS e",
                             t=tenant).value()
    assert (stored["r1"]["line"], stored["r1"]["dob"]) == (5, "1970-01-01")
    assert json.loads(stored["r2"]["extra"]) == {"Notes": "call"}
    assert {row["method"] for row in stored.values()} == {"deterministic"}
    assert json.loads(stored["r3"]["evidence"]) == {"reason": "first record of its identity"}
    assert json.loads(item)["reason"] == "close_pair"

    again, reviews = graph.link_exact(tenant, records[:1], [{}], [_slots("lee")], lines=[2],
                                      close_pairs=judge, model_version="m1")
    assert [(link.outcome, link.identity_id) for link in again] == [
        ("unchanged", by_id["r1"].identity_id)]
    assert reviews == 0


def test_one_batch_links_as_a_batch_per_record_would(
    driver: Driver, settings: Settings, tenant: str
) -> None:
    """A repeated row must not move its record behind the rows after it: here the first row
    founds the identity that a typo'd first name later joins by email."""
    graph = RecordGraph(driver, settings.neo4j_database, columns=RECORD_COLUMNS)
    person = {"email": "aaliyah@x.co", "phone": "+17208809425", "last_name": "jackson",
              "dob": "1978-12-13"}
    records = [
        _record("a", **person, first_name="aaliyah", national_id="153546080"),
        _record("b", phone="+17208809425", first_name="aaliyah", dob="1978-12-13"),
        _record("c", **person, first_name="aailyah"),
        _record("a", **person, first_name="aaliyah", national_id="153546080"),
    ]
    apart = f"{tenant}-apart"
    try:
        together, _ = graph.link_exact(tenant, records, [{}] * 4, [_slots()] * 4)
        one_by_one = [graph.link_exact(apart, [record], [{}], [_slots()])[0][0]
                      for record in records]
        groups = [{link.record_id: link.identity_id for link in links}
                  for links in (together, one_by_one)]
        assert [len(set(group.values())) for group in groups] == [1, 1]
    finally:
        delete_tenant(driver, settings.neo4j_database, apart)
