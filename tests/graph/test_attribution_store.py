"""graph/attribution.py: a storm read as arrays, configs per tenant, results that replace."""

from __future__ import annotations

import pytest
from neo4j import Driver

from stormops.attribution.engine import AttributionEngine
from stormops.graph.attribution import AttributionStore, JourneyRow
from tests.attribution.storm_fixture import PATHS, STORM, load_storm


@pytest.fixture
def store(driver: Driver, settings) -> AttributionStore:
    return AttributionStore(driver, settings.neo4j_database)


def _count(driver: Driver, settings, tenant: str, label: str) -> int:
    records, _, _ = driver.execute_query(
        f"MATCH (n:{label} {{tenant_id: $tenant}}) RETURN count(n) AS n", tenant=tenant,
        database_=settings.neo4j_database)
    return records[0]["n"]


def test_read_storm_as_arrays(driver, settings, store, tenant) -> None:
    load_storm(driver, settings.neo4j_database, tenant)
    arrays = store.read_storm(tenant, STORM)
    assert arrays.n_journeys == len(PATHS)
    assert arrays.n_touches == sum(k == "touch" for steps in PATHS.values() for _, k, _, _ in steps)
    paths = {jid: [arrays.channel_names[c] for c in arrays.channel[lo:hi]]
             for jid, lo, hi in zip(arrays.journey_ids, arrays.offsets[:-1], arrays.offsets[1:],
                                    strict=True)}
    assert sorted(map(tuple, paths.values())) == sorted(
        tuple(c for _, k, c, _ in steps if k == "touch") for steps in PATHS.values())
    assert sorted(arrays.revenue.tolist()) == [0.0, 300.0, 500.0, 1000.0]
    assert arrays.converted.sum() == 3
    for lo, hi in zip(arrays.offsets[:-1], arrays.offsets[1:], strict=True):
        assert (arrays.ts[lo + 1:hi] - arrays.ts[lo:hi - 1] > 0).all()  # touch order
    assert arrays.ts.min() == 1714554000.0  # 2024-05-01T09:00Z, epoch seconds
    assert store.read_storm("someone-else", STORM).n_journeys == 0


def test_configs_are_per_tenant(store, tenant) -> None:
    other = tenant + "-b"
    try:
        assert store.get_config(tenant) is None
        store.set_config(tenant, {"default_method": "linear"})
        store.set_config(other, {"default_method": "shapley"})
        store.set_config(tenant, {"default_method": "first_touch"})
        assert store.get_config(tenant) == {"default_method": "first_touch"}
        assert store.get_config(other) == {"default_method": "shapley"}
    finally:
        from stormops.graph import delete_tenant
        delete_tenant(store.driver, store.database, other)


def test_rerun_replaces_and_drops_stale_results(driver, settings, store, tenant) -> None:
    load_storm(driver, settings.neo4j_database, tenant)
    engine = AttributionEngine(tenant, None, store=store)
    first = engine.attribute_storm(STORM, ["linear", "markov"])
    assert first["methods"]["linear"]["written"] == 3
    engine.attribute_storm(STORM, ["linear", "markov"])
    assert _count(driver, settings, tenant, "AttributionResult") == 6
    assert _count(driver, settings, tenant, "AttributionRun") == 2
    # Crediting only email leaves d's journey alone creditable: a's and b's results go.
    narrow = AttributionEngine(tenant, {"channels": ["email"]}, store=store)
    out = narrow.attribute_storm(STORM, ["linear"])
    assert out["methods"]["linear"] == {**out["methods"]["linear"], "written": 1, "deleted": 2}
    assert _count(driver, settings, tenant, "AttributionResult") == 4
    stored = engine.stored_results(STORM, "linear")
    assert stored["channels"] == {"email": 300.0}
    assert [r["credits"] for r in stored["results"]] == [{"email": 300.0}]
    records, _, _ = driver.execute_query(
        "MATCH (r:AttributionResult {tenant_id: $tenant})-[:CREDITS]->(j:Journey) "
        "RETURN count(DISTINCT j) AS n", tenant=tenant, database_=settings.neo4j_database)
    assert records[0]["n"] == 3


def test_write_run_batches(driver, settings, store, tenant) -> None:
    load_storm(driver, settings.neo4j_database, tenant)
    ids = store.read_storm(tenant, STORM).journey_ids
    rows = [JourneyRow(jid, {"sms": 1.0}, [1.0], 1.0) for jid in ids]
    summary = {"channels": {"sms": 4.0}, "journeys": 4, "attributed": 4, "converted": 4,
               "total_value": 4.0, "skipped": 0}
    assert store.write_run(tenant, STORM, "linear", rows, summary, batch_size=3) == {
        "written": 4, "deleted": 0}
    runs = store.read_runs(tenant, STORM)
    assert [(r["method"], r["channels"]) for r in runs] == [("linear", {"sms": 4.0})]
    assert len(store.read_results(tenant, STORM, "linear", skip=1, limit=2)) == 2
