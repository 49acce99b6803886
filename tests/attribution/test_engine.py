"""The engine over storms in the real graph: hand-checked credits, config effects, re-runs."""

from __future__ import annotations

import numpy as np
import pytest
from neo4j import Driver

from stormops.attribution.config import AttributionConfig, parse_config
from stormops.attribution.engine import AttributionEngine, encode
from stormops.attribution.methods import Journeys, fit_markov
from stormops.core.errors import InvalidInput, NotFound
from stormops.core.events import row_to_event
from stormops.graph.attribution import AttributionStore, StormArrays
from stormops.graph.journeys import JourneyGraph
from stormops.samples.journeys import generate_journeys
from tests.attribution.storm_fixture import STORM, load_storm

# Hand-computed credits of the fixture storm (tests/attribution/storm_fixture.py):
# a: door_knock, sms -> 1000; b: sms -> 500; c: email, no conversion;
# d: door_knock, email, door_knock -> 300 (a later sms is after the conversion).
EXPECTED = {
    "linear": {"door_knock": 700.0, "sms": 1000.0, "email": 100.0},
    "first_touch": {"door_knock": 1300.0, "sms": 500.0, "email": 0.0},
    "last_touch": {"door_knock": 300.0, "sms": 1500.0, "email": 0.0},
    # Order-1 chain: P(conv) = 3/4; removal effects door 2/3, sms 2/3, email 2/9, so weights
    # 3/7, 3/7, 1/7; d's 300 splits door 3/4, email 1/4.
    "markov": {"door_knock": 725.0, "sms": 1000.0, "email": 75.0},
    # Each journey's value split equally over its distinct channels.
    "shapley": {"door_knock": 650.0, "sms": 1000.0, "email": 150.0},
    # 0.5 markov + 0.5 last touch (the default hybrid).
    "hybrid": {"door_knock": 512.5, "sms": 1250.0, "email": 37.5},
}


@pytest.fixture
def store(driver: Driver, settings) -> AttributionStore:
    return AttributionStore(driver, settings.neo4j_database)


@pytest.fixture
def storm(driver: Driver, settings, tenant: str) -> str:
    load_storm(driver, settings.neo4j_database, tenant)
    return STORM


def test_hand_checked_credits_per_method(store, tenant, storm) -> None:
    report = AttributionEngine(tenant, None, store=store).attribute_storm(storm, persist=False)
    assert report["channels"] == ["door_knock", "email", "sms"]
    assert (report["journeys"], report["attributed"], report["converted"]) == (4, 4, 3)
    assert report["total_value"] == pytest.approx(1800.0)
    for method, expected in EXPECTED.items():
        got = report["methods"][method]["channels"]
        assert got == pytest.approx(expected), method
        assert sum(got.values()) == pytest.approx(1800.0), method
    markov = report["methods"]["markov"]["details"]
    assert markov["p_conversion"] == pytest.approx(0.75)
    assert markov["removal_effects"] == pytest.approx(
        {"door_knock": 2 / 3, "email": 2 / 9, "sms": 2 / 3})


def test_time_decay_and_position_based_follow_the_config(store, tenant, storm) -> None:
    config = {"half_life_days": 1.0, "position_weights": {"first": 0.5, "last": 0.5}}
    report = AttributionEngine(tenant, config, store=store).attribute_storm(
        storm, ["time_decay", "position_based"], persist=False)
    # a: door 2 days, sms 1 day before conversion -> weights 1/4, 1/2 -> 333.33, 666.67.
    # d: door 3 days (1/8), email 2 days (1/4), door 1 day (1/2) -> 300 * (5/8, 2/8).
    decay = report["methods"]["time_decay"]["channels"]
    assert decay == pytest.approx({"door_knock": 1000 / 3 + 300 * 5 / 7, "sms": 2000 / 3 + 500,
                                   "email": 300 * 2 / 7})
    # position 50/50: a door 500 sms 500; b sms 500; d door 150+150, email 0.
    assert report["methods"]["position_based"]["channels"] == pytest.approx(
        {"door_knock": 800.0, "sms": 1000.0, "email": 0.0})


def test_lookback_channels_and_conversion_counts(store, tenant, storm) -> None:
    engine = AttributionEngine(tenant, {"lookback_days": 1.5, "channels": ["sms", "door_knock"],
                                        "value": "conversions"}, store=store)
    report = engine.attribute_storm(storm, ["linear"], persist=False)
    # a keeps sms only (door 2 days back); c has only email (not a listed channel): skipped;
    # d keeps its last door_knock only.
    assert report["channels"] == ["sms", "door_knock"]
    assert (report["skipped"], report["attributed"], report["total_value"]) == (1, 3, 3.0)
    assert report["methods"]["linear"]["channels"] == pytest.approx(
        {"sms": 2.0, "door_knock": 1.0})


def test_attribute_journey_matches_the_storm_run(store, tenant, storm) -> None:
    engine = AttributionEngine(tenant, None, store=store)
    engine.attribute_storm(storm, ["markov"])
    stored = {r["journey_id"]: r for r in engine.stored_results(storm, "markov")["results"]}
    assert len(stored) == 3  # converted journeys only
    for journey_id, row in stored.items():
        one = engine.attribute_journey(journey_id, "markov")
        assert one["credits"] == pytest.approx(row["credits"])
        assert sum(t["credit"] for t in one["touches"]) == pytest.approx(row["value"])
    d = next(r for r in stored.values() if r["value"] == 300.0)
    assert d["credits"] == pytest.approx({"door_knock": 225.0, "email": 75.0})
    assert d["touch_credits"] == pytest.approx([112.5, 75.0, 112.5])


def test_compare_methods_table(store, tenant, storm) -> None:
    report = AttributionEngine(tenant, {"methods": ["linear", "markov"]},
                               store=store).compare_methods(storm)
    assert set(report["methods"]) == {"linear", "markov"}
    rows = {r["channel"]: [r["linear"], r["markov"]] for r in report["table"]}
    assert rows.keys() == {"door_knock", "email", "sms"}
    expected = {"door_knock": [700.0, 725.0], "email": [100.0, 75.0], "sms": [1000.0, 1000.0]}
    for channel, pair in expected.items():
        assert rows[channel] == pytest.approx(pair)


def test_errors_name_the_field(store, tenant, storm) -> None:
    engine = AttributionEngine(tenant, {"methods": ["linear"]}, store=store)
    with pytest.raises(InvalidInput) as bad:
        engine.attribute_storm(storm, ["markov"])
    assert bad.value.field == "method"
    with pytest.raises(NotFound):
        engine.attribute_storm("NO-SUCH-STORM")
    with pytest.raises(NotFound):
        engine.attribute_journey("nobody|" + storm)
    with pytest.raises(NotFound):
        engine.stored_results(storm, "linear")


def test_sample_storm_credits_sum_to_revenue(driver, settings, store, tenant) -> None:
    sample = generate_journeys(300, seed=5)
    graph = JourneyGraph(driver, settings.neo4j_database)
    graph.upsert_storms(tenant, sample.storms)
    loaded = graph.load_events(tenant, [row_to_event(row) for row in sample.events])
    assert loaded.recorded == len(sample.events) and not loaded.rejected
    storm_id = max(sample.storms, key=lambda s: sum(
        e["storm_id"] == s["storm_id"] for e in sample.events))["storm_id"]
    revenue = sum(float(e["revenue"]) for e in sample.events
                  if e["storm_id"] == storm_id and e["kind"] == "conversion")
    engine = AttributionEngine(tenant, {"lookback_days": None}, store=store)
    report = engine.attribute_storm(storm_id)
    assert report["total_value"] + report["unattributed_value"] == pytest.approx(revenue)
    for method, entry in report["methods"].items():
        assert sum(entry["channels"].values()) == pytest.approx(report["total_value"]), method
    # Markov's channel-level report agrees with a fit on the same journeys.
    arrays = store.read_storm(tenant, storm_id)
    journeys = encode(arrays, engine.config).journeys
    assert report["methods"]["markov"]["details"]["p_conversion"] == pytest.approx(
        fit_markov(journeys).p_conversion)


def test_encode_without_a_graph() -> None:
    arrays = StormArrays(
        journey_ids=["j1", "j2", "j3"], channel_names=["sms", "door_knock"],
        channel=np.array([1, 0, 0], dtype=np.int32), ts=np.array([0.0, 86_400.0, 0.0]),
        offsets=np.array([0, 2, 2, 3]), converted=np.array([True, True, False]),
        conversion_ts=np.array([172_800.0, 10.0, np.nan]),
        revenue=np.array([100.0, 50.0, 0.0]))
    storm = encode(arrays, AttributionConfig())
    assert storm.channels == ("door_knock", "sms")
    assert storm.journey_ids == ["j1", "j3"]
    assert (storm.skipped, storm.unattributed_value) == (1, 50.0)
    assert isinstance(storm.journeys, Journeys)
    assert storm.journeys.channel.tolist() == [0, 1, 1]
    assert parse_config(None) == AttributionConfig()
