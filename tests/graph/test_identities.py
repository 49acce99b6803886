"""The identity graph against a real Neo4j: linking, resolving, merging, unmerging, isolation."""

from __future__ import annotations

import json
import random
import threading

import pytest
from neo4j import Driver

from stormops.core.errors import Conflict, InvalidInput, NotFound
from stormops.graph import IdentityGraph, delete_tenant
from tests.graph.snapshot import snapshot

JO = {"email": "Jo.Ray@Example.com", "phone": "(214) 555-0134", "first_name": "Jo",
      "last_name": "Ray", "dob": "1971-03-04"}
AMY = {"email": "amy@example.com", "phone": "214.555.0134", "first_name": "Amy",
       "last_name": "Ray", "dob": "1973-07-09"}


def _snap(graph: IdentityGraph, tenant: str) -> dict:
    return snapshot(graph.driver, graph.database, tenant)


def test_link_creates_then_finds_the_same_identity(graph: IdentityGraph, tenant: str) -> None:
    first = graph.link(tenant, "P-1", JO)
    assert first.outcome == "created"
    again = graph.link(tenant, "P-1", {"email": " JO.RAY@example.COM "})
    assert again == type(first)(first.identity_id, "linked")
    assert graph.resolve_identity(tenant, "+1 214 555 0134") == first.identity_id
    assert graph.resolve_identity(tenant, "jo.ray@example.com", type="email") == first.identity_id


def test_relinking_the_same_record_changes_nothing(graph: IdentityGraph, tenant: str) -> None:
    identity_id = graph.link_property(tenant, "P-1", JO)
    before = _snap(graph, tenant)
    assert graph.link_property(tenant, "P-1", JO) == identity_id
    assert _snap(graph, tenant) == before


def test_household_members_get_their_own_identities(graph: IdentityGraph, tenant: str) -> None:
    jo = graph.link_property(tenant, "P-1", JO)
    amy = graph.link_property(tenant, "P-1", AMY)  # same landline, same property, same surname
    assert amy != jo
    identities = _snap(graph, tenant)["identities"]
    assert identities[jo][2] == [f"OWNS:{tenant}|p-1"]
    assert identities[amy][2] == [f"RESIDES_AT:{tenant}|p-1"]
    assert graph.resolve_identity(tenant, "amy@example.com") == amy
    assert graph.resolve_identity(tenant, "P-1", type="property_id") == jo


def test_a_landline_record_of_another_household_member_is_idempotent(
    graph: IdentityGraph, tenant: str
) -> None:
    jo = graph.link_property(tenant, "P-1", JO)
    kid = graph.link_property(tenant, None, {"phone": "214-555-0134", "first_name": "Sam"})
    assert kid != jo
    before = _snap(graph, tenant)
    assert graph.link_property(tenant, None, {"phone": "2145550134", "first_name": "sam"}) == kid
    assert _snap(graph, tenant) == before
    assert graph.resolve_identity(tenant, "214 555 0134") == jo  # the line stays with its owner


def test_conflicting_identifiers_queue_a_candidate_not_a_merge(
    graph: IdentityGraph, tenant: str
) -> None:
    a = graph.link_property(tenant, None, {"email": "a@x.com", "device_id": "dev-a"})
    b = graph.link_property(tenant, None, {"email": "b@x.com", "device_id": "dev-b"})
    outcome = graph.link(tenant, None, {"email": "a@x.com", "device_id": "dev-b"})
    assert outcome.outcome == "queued"
    assert outcome.identity_id == a  # reached through email, stronger than device
    assert graph.resolve_identity(tenant, "dev-b", type="device_id") == b
    graph.link(tenant, None, {"email": "a@x.com", "device_id": "dev-b"})
    records, _, _ = graph.driver.execute_query(
        "MATCH (r:ReviewItem {tenant_id: $tenant})-[:CANDIDATE]->(n:Identity) "
        "RETURN r.status AS status, r.evidence AS evidence, collect(n.identity_id) AS ids",
        tenant=tenant, database_=graph.database)
    assert len(records) == 1  # re-running does not duplicate the candidate
    assert sorted(records[0]["ids"]) == sorted([a, b])
    evidence = json.loads(records[0]["evidence"])
    assert evidence["shared"][b] == {"device_id": ["dev-b"]}
    assert all(i["status"] == "active" for i in (graph.get_profile(tenant, x) for x in (a, b)))


def test_resolve_by_every_type(graph: IdentityGraph, tenant: str) -> None:
    iid = graph.link_property(
        tenant, "P-9", {**JO, "device_id": "DEV-9", "national_id": "123-45-6789"})
    assert graph.resolve_identity(tenant, "dev-9") == iid
    assert graph.resolve_identity(tenant, "123456789", type="national_id") == iid
    assert graph.resolve_identity(tenant, "p-9", type="property_id") == iid
    assert graph.resolve_identity(tenant, iid) == iid
    assert graph.resolve_identity(tenant, iid.upper(), type="identity_id") == iid
    assert graph.resolve_identity(tenant, "nobody@example.com") is None


def test_profile_lists_identifiers_properties_and_history(
    graph: IdentityGraph, tenant: str
) -> None:
    iid = graph.link_property(tenant, "P-1", JO)
    profile = graph.get_profile(tenant, iid)
    assert profile["status"] == "active"
    types = {i["type"]: i for i in profile["identifiers"]}
    assert types["email"]["value"] == "jo.ray@example.com"
    assert types["email"]["strength"] == 1.0 and types["email"]["method"] == "deterministic"
    assert set(types) == {"email", "phone", "name_phone", "name_dob", "name_property"}
    assert profile["properties"] == [{"property_id": "p-1", "relation": "OWNS"}]
    assert profile["history"] == []
    with pytest.raises(NotFound):
        graph.get_profile(tenant, "no-such-identity")


def test_merge_keeps_the_loser_and_records_what_moved(graph: IdentityGraph, tenant: str) -> None:
    a = graph.link_property(tenant, "P-1", JO)
    b = graph.link_property(tenant, "P-2", {"email": "jr@example.com", "first_name": "Jo"})
    event = graph.merge_identities(tenant, a, b, "qa-1", "same person, two emails")
    loser = graph.get_profile(tenant, b)
    assert loser["status"] == "merged" and loser["merged_into"] == a
    assert loser["identifiers"] == []
    assert graph.resolve_identity(tenant, b) == a
    assert graph.resolve_identity(tenant, "jr@example.com") == a
    survivor = graph.get_profile(tenant, a)
    assert {"property_id": "p-2", "relation": "OWNS"} in survivor["properties"]
    [hist] = graph.history(tenant, a)
    assert hist["event_id"] == event and hist["actor"] == "qa-1" and hist["kind"] == "merge"
    assert [m["key"] for m in json.loads(hist["moved"])] == [f"{tenant}|email|jr@example.com"]


def test_merge_then_unmerge_restores_the_graph_exactly(graph: IdentityGraph, tenant: str) -> None:
    a = graph.link_property(tenant, "P-1", JO)
    b = graph.link_property(tenant, "P-1", AMY)
    c = graph.link_property(tenant, "P-3", {"email": "c@example.com", "device_id": "d-c"})
    before = _snap(graph, tenant)
    event = graph.merge_identities(tenant, a, b, "qa", "test")
    event2 = graph.merge_identities(tenant, c, a, "qa", "test")
    assert _snap(graph, tenant) != before
    graph.unmerge(tenant, event2, "qa", "undo")
    graph.unmerge(tenant, event, "qa", "undo")
    assert _snap(graph, tenant) == before
    kinds = [e["kind"] for e in graph.history(tenant, a)]
    assert kinds == ["unmerge", "unmerge", "merge", "merge"]


def test_unmerge_the_middle_of_a_chain(graph: IdentityGraph, tenant: str) -> None:
    ids = [graph.link_property(tenant, None, {"email": f"{n}@example.com", "device_id": f"d-{n}"})
           for n in "abcd"]
    a, b, c, d = ids
    before = _snap(graph, tenant)
    graph.merge_identities(tenant, a, b, "qa", "1")
    middle = graph.merge_identities(tenant, a, c, "qa", "2")
    graph.merge_identities(tenant, d, a, "qa", "3")  # later merge absorbs the survivor
    graph.unmerge(tenant, middle, "qa", "undo 2")
    assert graph.resolve_identity(tenant, "c@example.com") == c
    assert graph.resolve_identity(tenant, "d-c", type="device_id") == c
    assert graph.resolve_identity(tenant, c) == c
    for other in (a, b, "a@example.com", "b@example.com", "d-b"):
        assert graph.resolve_identity(tenant, other) == d
    after = _snap(graph, tenant)
    c_email = f"{tenant}|email|c@example.com"
    assert after["links"][c_email] == before["links"][c_email]
    assert after["identities"][c] == before["identities"][c]


def test_merge_and_unmerge_errors_change_nothing(graph: IdentityGraph, tenant: str) -> None:
    a = graph.link_property(tenant, None, {"email": "a@example.com"})
    b = graph.link_property(tenant, None, {"email": "b@example.com"})
    c = graph.link_property(tenant, None, {"email": "c@example.com"})
    event = graph.merge_identities(tenant, a, b, "qa", "x")
    before = _snap(graph, tenant)
    with pytest.raises(InvalidInput):
        graph.merge_identities(tenant, a, a, "qa", "self")
    with pytest.raises(Conflict):
        graph.merge_identities(tenant, c, b, "qa", "b is merged already")
    with pytest.raises(NotFound):
        graph.merge_identities(tenant, a, "missing", "qa", "x")
    with pytest.raises(InvalidInput):
        graph.merge_identities(tenant, a, c, "qa", " ")
    undo = graph.unmerge(tenant, event, "qa", "undo")
    with pytest.raises(Conflict):
        graph.unmerge(tenant, event, "qa", "twice")
    with pytest.raises(Conflict):
        graph.unmerge(tenant, undo, "qa", "undo an undo")
    with pytest.raises(NotFound):
        graph.unmerge(tenant, "no-such-event", "qa", "x")
    assert graph.resolve_identity(tenant, "b@example.com") == b
    assert _snap(graph, tenant)["links"].keys() == before["links"].keys()


@pytest.mark.parametrize(
    ("call", "error", "field"),
    [
        (lambda g, t: g.link_property(t, "P", {}), InvalidInput, "identifiers"),
        (lambda g, t: g.link_property(t, "P", {"email": "  "}), InvalidInput, "identifiers"),
        (lambda g, t: g.link_property(t, "P", {"fax": "1"}), InvalidInput, "fax"),
        (lambda g, t: g.link_property(t, "P", {"email": "nope"}), InvalidInput, "email"),
        (lambda g, t: g.link_property(t, "P", {"phone": "12"}), InvalidInput, "phone"),
        (lambda g, t: g.resolve_identity(t, ""), InvalidInput, "identifier"),
        (lambda g, t: g.resolve_identity(t, "x", type="fax"), InvalidInput, "type"),
        (lambda g, t: g.get_profile(t, "unknown"), NotFound, "identity_id"),
        (lambda g, t: g.link_property("a|b", "P", {"email": "a@b.co"}), InvalidInput, "tenant"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    graph: IdentityGraph, tenant: str, call, error, field
) -> None:
    graph.link_property(tenant, "P-1", JO)
    before = _snap(graph, tenant)
    with pytest.raises(error) as exc:
        call(graph, tenant)
    assert exc.value.field == field
    assert _snap(graph, tenant) == before


def test_tenants_never_see_each_other(graph: IdentityGraph, tenant: str, driver: Driver,
                                      settings) -> None:
    other = f"{tenant}-b"
    try:
        a = graph.link_property(tenant, "P-1", JO)
        b = graph.link_property(tenant, "P-2", AMY)
        event = graph.merge_identities(tenant, a, b, "qa", "x")
        assert graph.resolve_identity(other, "jo.ray@example.com") is None
        assert graph.resolve_identity(other, a) is None
        assert graph.resolve_identity(other, "P-1", type="property_id") is None
        with pytest.raises(NotFound):
            graph.get_profile(other, a)
        with pytest.raises(NotFound):
            graph.merge_identities(other, a, b, "qa", "x")
        with pytest.raises(NotFound):
            graph.unmerge(other, event, "qa", "x")
        assert graph.history(other, a) == []
        mine = graph.link_property(other, "P-1", JO)  # same data, other tenant: its own identity
        assert mine != a
        assert graph.resolve_identity(tenant, "jo.ray@example.com") == a
    finally:
        delete_tenant(driver, settings.neo4j_database, other)


def test_bulk_link_reports_bad_rows_and_keeps_the_rest(graph: IdentityGraph, tenant: str) -> None:
    rows = [
        {"property_id": "P-1", **JO},
        {"property_id": "P-1", "email": "broken"},
        {"property_id": "P-1", **AMY},
        {"property_id": "P-2", "email": "JO.RAY@example.com"},
    ]
    result = graph.link_properties(tenant, rows, batch_size=2)
    assert [pos for pos, _ in result.rejected] == [1]
    assert "email" in result.rejected[0][1]
    assert (result.created, result.linked, result.queued) == (2, 1, 0)
    assert result.outcomes[1] is None
    assert result.outcomes[3].identity_id == result.outcomes[0].identity_id


def test_concurrent_links_and_merges_keep_the_invariants(
    graph: IdentityGraph, tenant: str
) -> None:
    emails = [f"p{i}@example.com" for i in range(40)]
    devices = [f"dev-{i}" for i in range(40)]
    submitted: set[str] = set()
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        try:
            for _ in range(25):
                if rng.random() < 0.7:
                    ids = {"email": rng.choice(emails), "device_id": rng.choice(devices)}
                    graph.link_property(tenant, f"P-{rng.randrange(10)}", ids)
                    with lock:
                        submitted.update({f"{tenant}|email|{ids['email']}",
                                          f"{tenant}|device_id|{ids['device_id']}"})
                else:
                    x = graph.resolve_identity(tenant, rng.choice(emails))
                    y = graph.resolve_identity(tenant, rng.choice(devices))
                    if x and y and x != y:
                        try:
                            graph.merge_identities(tenant, x, y, f"w{seed}", "concurrent")
                        except Conflict:
                            pass  # another worker merged one of them first
        except BaseException as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(s,)) for s in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    snap = _snap(graph, tenant)  # raises if any identifier links to two identities
    assert set(snap["links"]) == submitted  # every identifier submitted is linked: none lost
    assert set(snap["identifiers"]) == submitted
    status = {iid: props["status"] for iid, (props, _, _) in snap["identities"].items()}
    assert "merged" in status.values()  # the workers did race merges against links
    assert all(status[iid] == "active" for iid, _ in snap["links"].values())
    for iid, state in status.items():
        live = graph.resolve_identity(tenant, iid, type="identity_id")
        assert live is not None and status[live] == "active"
        if state == "active":
            assert live == iid
