"""Matching into the graph: batch ingest, export, stable ids, reviewer decisions, online path.

Against a real Neo4j, with a real Splink model trained once per module on a synthetic
homeowner sample with households and known truth.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from stormops.core.settings import Settings
from stormops.graph import delete_tenant
from stormops.graph.records import RecordGraph
from stormops.matching._rules import LINK
from stormops.matching.evaluate import cluster_metrics, false_positive_link_rate, link_rate
from stormops.matching.ingest import Ingest, RecordLinker
from stormops.matching.model import MatchingModel
from stormops.matching.normalize import RECORD_COLUMNS, NormalizedBatch, normalize_records
from stormops.matching.prior import MIN_TRAINING_RECORDS
from stormops.matching.store import ModelStore
from stormops.samples.homeowners import generate_records

ROWS = 2_500


@pytest.fixture(scope="module")
def sample() -> list[dict[str, str]]:
    return generate_records(ROWS, seed=5)


@pytest.fixture(scope="module")
def batch(sample: list[dict[str, str]]) -> NormalizedBatch:
    return normalize_records(sample)


@pytest.fixture(scope="module")
def model(batch: NormalizedBatch) -> MatchingModel:
    trained = MatchingModel()
    trained.training.fit(batch.records)
    return trained


@pytest.fixture
def records(driver: Driver, settings: Settings) -> RecordGraph:
    return RecordGraph(driver, settings.neo4j_database, columns=RECORD_COLUMNS)


@pytest.fixture
def store(tmp_path: Path, model: MatchingModel, tenant: str) -> ModelStore:
    """A model store holding the module's model for the test's tenant."""
    models = ModelStore(tmp_path / "models")
    models.save(tenant, model)
    return models


@pytest.fixture(scope="module")
def ingested(driver: Driver, settings: Settings, model: MatchingModel, batch: NormalizedBatch,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, ModelStore]]:
    """One tenant with the whole sample ingested, shared by the read-only tests."""
    tenant = "test-ingested-" + random.Random().randbytes(4).hex()
    models = ModelStore(tmp_path_factory.mktemp("models"))
    models.save(tenant, model)
    graph = RecordGraph(driver, settings.neo4j_database, columns=RECORD_COLUMNS)
    Ingest(graph, models).run(tenant, batch)
    yield tenant, models
    delete_tenant(driver, settings.neo4j_database, tenant)


def _exported(records: RecordGraph, tenant: str) -> dict[str, str | None]:
    return dict(records.export(tenant))


def _scores(sample: list[dict[str, str]], exported: dict[str, str | None]) -> dict[str, float]:
    truth = [row["person_id"] for row in sample]
    predicted = [exported[row["record_id"]] or f"none-{row['record_id']}" for row in sample]
    clusters = cluster_metrics(truth, predicted)
    return {"precision": clusters.precision, "recall": clusters.recall, "f1": clusters.f1,
            "link_rate": link_rate(truth, predicted),
            "false_positive": false_positive_link_rate(truth, predicted)}


def _counts(driver: Driver, tenant: str) -> dict[str, int]:
    """Nodes by label and relationships by type that belong to the tenant."""
    rows, _, _ = driver.execute_query(
        "MATCH (n) WHERE n.tenant_id = $tenant "
        "OPTIONAL MATCH (n)-[r]->() "
        "RETURN labels(n)[0] AS label, count(DISTINCT n) AS nodes, type(r) AS rel, "
        "count(r) AS rels", tenant=tenant)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["label"]] = counts.get(row["label"], 0) + row["nodes"]
        if row["rel"]:
            key = f"{row['label']}-{row['rel']}"
            counts[key] = counts.get(key, 0) + row["rels"]
    return counts


def test_ingest_and_export_score_against_truth(
    ingested: tuple[str, ModelStore], records: RecordGraph, sample: list[dict[str, str]]
) -> None:
    tenant, _ = ingested
    exported = _exported(records, tenant)
    assert set(exported) == {row["record_id"] for row in sample}
    assert all(exported.values())
    scores = _scores(sample, exported)
    assert scores["precision"] >= 0.99, scores
    assert scores["link_rate"] >= 0.93, scores
    assert scores["false_positive"] < 0.005, scores
    # Household members are never one identity.
    person_of = {row["record_id"]: row["person_id"] for row in sample}
    household_of = {row["person_id"]: row["household_id"] for row in sample}
    people: dict[str, set[str]] = {}
    for record_id, identity in exported.items():
        people.setdefault(str(identity), set()).add(person_of[record_id])
    mixed = [found for found in people.values() if len(found) > 1]
    assert not [found for found in mixed if len({household_of[p] for p in found}) == 1]


def test_links_explain_themselves(
    ingested: tuple[str, ModelStore], records: RecordGraph, sample: list[dict[str, str]]
) -> None:
    tenant, models = ingested
    exported = _exported(records, tenant)
    sizes: dict[str, int] = {}
    for identity in exported.values():
        sizes[str(identity)] = sizes.get(str(identity), 0) + 1
    biggest = max(sizes, key=lambda identity: sizes[identity])
    profile = records.get_profile(tenant, biggest)
    assert len(profile["records"]) == sizes[biggest]
    version = models.load(tenant).model_version
    assert {r["model_version"] for r in profile["records"]} == {version}
    scored = [r for r in profile["records"] if r["match_probability"] is not None]
    assert len(scored) == sizes[biggest]  # every record of a group is there by a pair
    for link in scored:
        evidence = json.loads(link["evidence"])
        assert evidence["matched_record_id"] in {r["record_id"] for r in profile["records"]}
        assert evidence["comparisons"], evidence
        expected = link["match_probability"] if link["method"] == "splink" else 1.0
        assert link["strength"] == pytest.approx(expected)
    # Matched records' identifiers resolve to the identity too.
    email = next(row["email"] for row in sample
                 if exported[row["record_id"]] == biggest and row["email"])
    assert records.resolve_identity(tenant, email, "email") == biggest


def test_rerun_changes_nothing(
    ingested: tuple[str, ModelStore], records: RecordGraph, driver: Driver,
    batch: NormalizedBatch,
) -> None:
    tenant, models = ingested
    before, counts = _exported(records, tenant), _counts(driver, tenant)
    report = Ingest(records, models).run(tenant, batch)
    assert (report.new_records, report.identities_created, report.merges, report.reviews) == (
        0, 0, 0, 0)
    assert _exported(records, tenant) == before
    assert _counts(driver, tenant) == counts


def test_adding_records_keeps_identity_ids(
    records: RecordGraph, store: ModelStore, tenant: str, sample: list[dict[str, str]],
) -> None:
    first, rest = sample[: ROWS // 2], sample[ROWS // 2:]
    ingest = Ingest(records, store)
    ingest.run(tenant, normalize_records(first))
    before = _exported(records, tenant)
    report = ingest.run(tenant, normalize_records(rest))
    assert report.new_records == len(rest)
    after = _exported(records, tenant)
    merged = {event["other"]: event["into"] for identity in set(before.values())
              for event in records.history(tenant, str(identity)) if event["kind"] == "auto_merge"}
    assert len(merged) == report.merges
    for record_id, identity in before.items():
        assert after[record_id] in (identity, merged.get(str(identity))), record_id
        # An old id still resolves, through the merge chain when it was merged.
        assert records.resolve_identity(tenant, str(identity), "identity_id") == after[record_id]
    # Batch in two parts scores like the whole file at once.
    scores = _scores(sample, after)
    assert scores["precision"] >= 0.99 and scores["link_rate"] >= 0.93, scores


def _open_items(records: RecordGraph, tenant: str) -> list[dict]:
    rows, _, _ = records.driver.execute_query(
        "MATCH (r:ReviewItem {tenant_id: $tenant, status: 'open'}) "
        "RETURN r.item_id AS item_id, r.evidence AS evidence, "
        "COLLECT { MATCH (r)-[:CANDIDATE]->(n) RETURN n.identity_id } AS ids", tenant=tenant)
    return [{**row.data(), "evidence": json.loads(row["evidence"])} for row in rows]


def _between(items: list[dict]) -> list[dict]:
    """Items the model held back only for the thresholds, most probable first."""
    found = [item for item in items if item["evidence"].get("reason") == "between_thresholds"]
    return sorted(found, key=lambda item: -item["evidence"]["match_probability"])


def test_reviewer_decisions_hold_in_later_runs(
    records: RecordGraph, store: ModelStore, model: MatchingModel, tenant: str,
    batch: NormalizedBatch,
) -> None:
    ingest = Ingest(records, store)
    ingest.run(tenant, batch)
    items = _between(_open_items(records, tenant))
    # Thresholds low enough that held-back pairs link on their own.
    lowest = items[min(len(items), 16) - 1]["evidence"]["match_probability"]
    looser = model.with_settings(model.settings.with_thresholds(
        auto_link=max(lowest * 0.999, 0.01), review=max(lowest * 0.5, 0.005)))
    by_id = {record["record_id"]: record for record in batch.records}
    scorer = looser.scorer()
    linkable = [item for item in items[:16] if scorer.score(
        by_id[item["evidence"]["record_ids"][0]], [by_id[item["evidence"]["record_ids"][1]]]
    ).decisions.status[0] == LINK]
    assert len(linkable) >= 3, "the sample should leave pairs that looser thresholds link"
    rejected, approved, controls = linkable[0], items[-1], linkable[1:]
    records.decide_review(tenant, rejected["item_id"], "reject", "qa", "different people")
    records.decide_review(tenant, approved["item_id"], "approve", "qa", "same person")
    report = ingest.run(tenant, batch, model=looser)
    assert report.merges >= 1

    def live(item: dict) -> set[str | None]:
        return {records.resolve_identity(tenant, i, "identity_id") for i in item["ids"]}

    assert len(live(rejected)) == 2, "a rejected pair was linked again"
    assert len(live(approved)) == 1, "an approved pair came apart"
    assert any(len(live(control)) == 1 for control in controls), (
        "undecided pairs like the rejected one should link under the looser thresholds")
    # Stricter thresholds do not split what a reviewer approved.
    ingest.run(tenant, batch, model=model.with_settings(
        model.settings.with_thresholds(auto_link=0.999999)))
    assert len(live(approved)) == 1


def test_unmerge_gives_records_back(
    records: RecordGraph, store: ModelStore, tenant: str, sample: list[dict[str, str]],
) -> None:
    Ingest(records, store).run(tenant, normalize_records(sample[:400]))
    exported = _exported(records, tenant)
    into, other = sorted({str(i) for i in exported.values()})[:2]
    mine = sorted(r for r, i in exported.items() if i == other)
    event = records.merge_identities(tenant, into, other, "qa", "test")
    assert all(_exported(records, tenant)[r] == into for r in mine)
    records.unmerge(tenant, event, "qa", "undo")
    assert all(_exported(records, tenant)[r] == other for r in mine)


def test_online_path_agrees_with_batch(
    ingested: tuple[str, ModelStore], records: RecordGraph, store: ModelStore, tenant: str,
    sample: list[dict[str, str]], batch: NormalizedBatch,
) -> None:
    batch_scores = _scores(sample, _exported(records, ingested[0]))
    order = list(range(len(sample)))
    random.Random(3).shuffle(order)
    shuffled = NormalizedBatch(records=[batch.records[i] for i in order],
                               extras=[batch.extras[i] for i in order])
    report = RecordLinker(records, store).link_records(tenant, shuffled)
    assert report.new_records == len(sample)
    online_scores = _scores(sample, _exported(records, tenant))
    assert online_scores["f1"] == pytest.approx(batch_scores["f1"], abs=0.005), (
        online_scores, batch_scores)
    assert online_scores["precision"] >= 0.99, online_scores


def _partition(exported: dict[str, str | None]) -> set[frozenset[str]]:
    """The records grouped by identity, whatever the identities are called."""
    groups: dict[str | None, set[str]] = {}
    for record_id, identity_id in exported.items():
        groups.setdefault(identity_id, set()).add(record_id)
    return {frozenset(group) for group in groups.values()}


def test_records_linked_together_end_as_linked_one_at_a_time(
    records: RecordGraph, store: ModelStore, tenant: str, model: MatchingModel,
    sample: list[dict[str, str]], driver: Driver, settings: Settings,
) -> None:
    """Several records per transaction (each decided with the batch's earlier records among
    its candidates) give the identities that linking them one by one gives."""
    rows = [{**row, "record_id": f"r{i}"} for i, row in enumerate(sample[:400])]
    rows += [{**row, "record_id": f"again-{i}"} for i, row in enumerate(sample[:400:3])]
    random.Random(11).shuffle(rows)
    linker = RecordLinker(records, store)
    for row in rows:
        linker.link_record(tenant, row)
    together = tenant + "-b"
    store.save(together, model)
    try:
        report = linker.link_records(together, normalize_records(rows))
        assert report.new_records == len(rows)
        one_by_one = _partition(_exported(records, tenant))
        assert len(one_by_one) < len(rows)
        assert _partition(_exported(records, together)) == one_by_one
    finally:
        delete_tenant(driver, settings.neo4j_database, together)


def test_online_record_outcomes(
    records: RecordGraph, store: ModelStore, tenant: str, sample: list[dict[str, str]],
) -> None:
    linker = RecordLinker(records, store)
    person = [row for row in sample if row["email"] and row["first_name"] and row["dob"]][0]
    first = linker.link_record(tenant, {**person, "record_id": "web-1"})
    assert first.outcome == "created"
    again = linker.link_record(tenant, {**person, "record_id": "web-1"})
    assert (again.outcome, again.identity_id) == ("unchanged", first.identity_id)
    same = linker.link_record(tenant, {"record_id": "web-2", "email": person["email"],
                                       "first_name": person["first_name"],
                                       "last_name": person["last_name"]})
    assert (same.outcome, same.identity_id) == ("linked", first.identity_id)
    profile = records.get_profile(tenant, first.identity_id)
    second = next(r for r in profile["records"] if r["record_id"] == "web-2")
    assert json.loads(second["evidence"])["matched_record_id"] == "web-1"
    bad = linker.link_record(tenant, {"record_id": "web-3", "email": "not an email",
                                      "phone": person["phone"] or "555-0100"})
    assert [p.field for p in bad.problems] == ["email"]


def test_online_linking_stays_in_its_tenant(
    records: RecordGraph, store: ModelStore, tenant: str, model: MatchingModel,
    sample: list[dict[str, str]], driver: Driver, settings: Settings,
) -> None:
    other = tenant + "-b"
    store.save(other, model)
    linker = RecordLinker(records, store)
    person = {**[row for row in sample if row["email"]][0], "record_id": "x-1"}
    mine = linker.link_record(tenant, person)
    try:
        theirs = linker.link_record(other, person)
        assert theirs.outcome == "created" and theirs.identity_id != mine.identity_id
        assert dict(records.export(other)) == {"x-1": theirs.identity_id}
    finally:
        delete_tenant(driver, settings.neo4j_database, other)


def test_a_tenant_without_a_model_is_linked_exactly_with_the_prior_judging(
    records: RecordGraph, tmp_path: Path, tenant: str,
) -> None:
    linker = RecordLinker(records, ModelStore(tmp_path))
    first = linker.link_record(tenant, {"email": "a@b.co", "first_name": "Ann"})
    assert first.outcome == "created" and first.model_version.startswith("prior-")
    again = linker.link_record(tenant, {"email": "A@B.CO", "phone": "214-555-0100"})
    assert (again.outcome, again.identity_id) == ("linked", first.identity_id)
    assert not ModelStore(tmp_path).exists(tenant)


def test_a_file_without_duplicates_waits_for_data_to_learn_from(
    records: RecordGraph, tmp_path: Path, tenant: str,
) -> None:
    store = ModelStore(tmp_path)
    sample = generate_records(3_000, seed=6)  # over 1,000 people: enough records, no match
    seen: set[str] = set()
    firsts = [row for row in sample if not (row["person_id"] in seen or seen.add(row["person_id"]))]
    assert len(firsts) >= MIN_TRAINING_RECORDS  # enough records: it is the data that lacks
    ingest = Ingest(records, store)
    report = ingest.run(tenant, normalize_records(firsts))
    assert not report.trained and not store.exists(tenant)
    assert "nothing to learn" in report.model_note and "exact identifiers" in report.model_note
    assert report.new_records == len(firsts)
    assert len(_exported(records, tenant)) == len(firsts)
    report = ingest.run(tenant, normalize_records(sample))
    assert report.trained and store.exists(tenant)
    assert report.new_records == len(sample) - len(firsts)
    scores = _scores(sample, _exported(records, tenant))
    assert scores["precision"] >= 0.99 and scores["link_rate"] >= 0.93, scores


def test_a_repeated_record_id_is_reported_and_the_last_row_kept(
    records: RecordGraph, store: ModelStore, tenant: str, sample: list[dict[str, str]],
) -> None:
    rows = [dict(row) for row in sample[:300]]
    rows.append({**rows[0], "email": "later@example.com"})
    report = Ingest(records, store).run(tenant, normalize_records(rows))
    assert [(p.row, p.record_id, p.field) for p in report.problems] == [
        (300, rows[0]["record_id"], "record_id")]
    assert report.new_records == 300 and len(_exported(records, tenant)) == 300
    kept = records.get_profile(tenant, str(_exported(records, tenant)[rows[0]["record_id"]]))
    assert "later@example.com" in {i["value"] for i in kept["identifiers"]}
