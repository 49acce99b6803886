"""Incremental attribution over a storm in the real graph: path credit next to holdout lift."""

from __future__ import annotations

import pytest

from stormops.attribution.engine import AttributionEngine
from stormops.attribution.incremental import IncrementalAttribution, lift_multiplier
from stormops.core.errors import NotFound
from stormops.experiments.platform import ExperimentsPlatform
from stormops.graph import IdentityGraph
from stormops.graph.attribution import AttributionStore
from stormops.graph.experiments import ExperimentStore
from stormops.graph.journeys import JourneyGraph
from stormops.graph.storms import StormStore

STORM = "S-INC"
CHANNELS = ("door_knock", "sms", "email")


def _setup(driver, database: str, tenant: str) -> tuple[IncrementalAttribution, dict]:
    platform = ExperimentsPlatform(tenant, store=ExperimentStore(driver, database),
                                   storms=StormStore(driver, database))
    engine = AttributionEngine(tenant, {"methods": ["last_touch", "linear", "shapley"],
                                        "default_method": "linear"},
                               store=AttributionStore(driver, database))
    props = [{"property_id": f"P{i}"} for i in range(300)]
    holdout = platform.create_experiment("holdout", {"name": "h", "storm_id": STORM,
                                                     "control_share": 0.3})
    platform.assign_properties(holdout, props)
    sms = platform.create_experiment("channel_holdout", {"name": "no sms", "storm_id": STORM,
                                                         "channel": "sms"})
    platform.assign_properties(sms, props)
    arms = {r["property_id"]: r["variant"]
            for r in platform.store.unit_outcomes(tenant, holdout, STORM)}
    events, counts = [], {"treatment": [0, 0], "control": [0, 0]}
    for i, prop in enumerate(props):
        arm = arms[prop["property_id"].lower()]
        who = {"property_id": prop["property_id"], "email": f"o{i}@example.com"}
        for k, channel in enumerate(CHANNELS[: 1 + i % 3]):
            events.append({"event_id": f"t{i}-{k}", "storm_id": STORM, "channel": channel,
                           "ts": f"2026-05-0{k + 1}T10:00:00", "identifiers": who})
        converts = i % (4 if arm == "treatment" else 12) == 0
        counts[arm][0] += 1
        counts[arm][1] += converts
        if converts:
            events.append({"event_id": f"c{i}", "kind": "conversion", "storm_id": STORM,
                           "ts": "2026-05-05T10:00:00", "revenue": 1.0, "identifiers": who})
    JourneyGraph(driver, database).load_events(tenant, events)
    return IncrementalAttribution(engine, platform), counts


def test_compare_fractional_vs_incremental(driver, settings, tenant: str) -> None:
    incremental, counts = _setup(driver, settings.neo4j_database, tenant)
    (n_t, x_t), (n_c, x_c) = counts["treatment"], counts["control"]
    report = incremental.compare_fractional_vs_incremental(STORM)
    t, c = x_t / n_t, x_c / n_c
    assert report["treatment_rate"] == pytest.approx(t)
    assert report["control_rate"] == pytest.approx(c)
    assert report["lift_multiplier"] == pytest.approx(lift_multiplier(t, c))
    assert report["calibrated_channels"] == ["sms"]
    rows = {row["channel"]: row for row in report["table"]}
    assert set(rows) == set(CHANNELS)
    total = sum(row["incremental_conversions"] for row in rows.values())
    assert total == pytest.approx(x_t - n_t * c)  # sums to the measured incremental total
    for row in rows.values():
        assert row["roadmap_incremental_credit"] == pytest.approx(
            row["fractional_credit"] * lift_multiplier(t, c))
    assert sum(row["calibrated_share"] for row in rows.values()) == pytest.approx(1.0)


def test_one_journeys_incremental_credit(driver, settings, tenant: str) -> None:
    incremental, _ = _setup(driver, settings.neo4j_database, tenant)
    identity = IdentityGraph(driver, settings.neo4j_database).resolve_identity(
        tenant, "o0@example.com")
    credit = incremental.calculate_incremental_credit(f"{identity}|{STORM}")
    assert credit["converted"] and credit["credits"] == {"door_knock": pytest.approx(1.0)}
    assert credit["incremental_credits"]["door_knock"] == pytest.approx(
        credit["lift_multiplier"])


def test_a_storm_without_an_overall_experiment(driver, settings, tenant: str) -> None:
    incremental, _ = _setup(driver, settings.neo4j_database, tenant)
    with pytest.raises(NotFound):
        incremental.compare_fractional_vs_incremental("S-OTHER")
