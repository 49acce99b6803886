"""Incremental ingest against a real Neo4j: a batch compared with its neighbourhood only gives
the identities a full run over every record gives, and leaves every other identity alone."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from stormops.core.settings import Settings
from stormops.graph import delete_tenant
from stormops.graph.records import RecordGraph
from stormops.matching.evaluate import cluster_metrics
from stormops.matching.ingest import Ingest
from stormops.matching.model import MatchingModel
from stormops.matching.normalize import RECORD_COLUMNS, NormalizedBatch, normalize_records
from stormops.matching.store import ModelStore
from stormops.samples.homeowners import CANONICAL_COLUMNS, generate_records

BASE, NEW, CUT_SHORT = 1_500, 200, 20


@pytest.fixture
def records(driver: Driver, settings: Settings) -> RecordGraph:
    return RecordGraph(driver, settings.neo4j_database, columns=RECORD_COLUMNS)


@pytest.fixture
def other_tenant(driver: Driver, settings: Settings) -> Iterator[str]:
    name = f"test-{uuid.uuid4().hex[:12]}"
    yield name
    delete_tenant(driver, settings.neo4j_database, name)


def _batch(rows: list[dict[str, str]]) -> NormalizedBatch:
    return normalize_records([{column: row[column] for column in CANONICAL_COLUMNS}
                              for row in rows])


def _agreement(expected: dict[str, str | None], found: dict[str, str | None]
               ) -> tuple[float, float]:
    """Pairwise agreement of two partitions of the same records: the share of pairs one puts
    together that the other does too, each way."""
    assert set(found) == set(expected)
    ids = sorted(expected)
    metrics = cluster_metrics([expected[r] or r for r in ids], [found[r] or r for r in ids])
    return metrics.precision, metrics.recall


def _prepare(records: RecordGraph, store: ModelStore, model: MatchingModel, tenant: str,
             base: NormalizedBatch, left: NormalizedBatch) -> dict[str, str | None]:
    """The tenant's base ingested, then records stored but never linked (a load cut short)."""
    store.save(tenant, model)
    Ingest(records, store).run(tenant, base)
    records.save_records(tenant, left.records, left.extras,
                         [model.blocking_slots(r) for r in left.records])
    return dict(records.export(tenant))


def test_incremental_ingest_equals_a_full_run(
    records: RecordGraph, model: MatchingModel, tenant: str, other_tenant: str, tmp_path: Path,
) -> None:
    rows = generate_records(BASE + NEW, seed=21)
    base, new = _batch(rows[:BASE]), _batch(rows[BASE + CUT_SHORT:])
    left = _batch(rows[BASE:BASE + CUT_SHORT])
    store = ModelStore(tmp_path / "models")
    before = _prepare(records, store, model, tenant, base, left)
    # Identity ids derive from the tenant: the two tenants hold the same partition.
    assert _agreement(before, _prepare(records, store, model, other_tenant, base, left)) == (
        1.0, 1.0)

    incremental = Ingest(records, store).run(tenant, new)
    full = Ingest(records, store).run(other_tenant, new, full=True)
    assert full.compared == BASE + NEW
    assert 0 < incremental.compared < BASE  # only the new records' neighbourhood was read
    assert incremental.new_records == full.new_records == NEW  # the cut-short ones too
    assert (incremental.identities_created, incremental.merges) == (
        full.identities_created, full.merges)

    after, expected = dict(records.export(tenant)), dict(records.export(other_tenant))
    assert all(after.values()), "every record is linked, those a load cut short included"
    precision, recall = _agreement(expected, after)
    assert precision >= 0.999 and recall >= 0.999, (precision, recall)

    # Identities the new records did not reach keep their ids; a merged one resolves on.
    moved = {str(before[r]) for r in before if before[r] and after[r] != before[r]}
    assert len(moved) == incremental.merges
    for identity in moved:
        assert records.resolve_identity(tenant, identity, "identity_id") != identity

    # Running the batch again changes nothing.
    again = Ingest(records, store).run(tenant, new)
    assert (again.new_records, again.identities_created, again.merges, again.reviews) == (
        0, 0, 0, 0)
    assert dict(records.export(tenant)) == after
