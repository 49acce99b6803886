"""Lift read from journeys in the real graph, and the storm report built from it."""

from __future__ import annotations

import pytest

from stormops.core.errors import InvalidInput
from stormops.experiments.platform import ExperimentsPlatform
from stormops.experiments.reporting import IncrementalityReporter, render_html
from stormops.experiments.stats import rate_difference
from stormops.graph.experiments import ExperimentStore
from stormops.graph.journeys import JourneyGraph
from stormops.graph.storms import StormStore

STORM = "S-HAIL-1"


@pytest.fixture
def platform(driver, settings, tenant: str) -> ExperimentsPlatform:
    return ExperimentsPlatform(tenant, store=ExperimentStore(driver, settings.neo4j_database),
                               storms=StormStore(driver, settings.neo4j_database))


def _events(props: list[dict], arms: dict[str, str], converts) -> list[dict]:
    """One touch per property; a conversion where `converts(index, arm)` says so."""
    events = []
    for i, prop in enumerate(props):
        who = {"property_id": prop["property_id"], "email": f"owner{i}@example.com"}
        events.append({"event_id": f"t{i}", "storm_id": STORM, "ts": "2026-05-01T10:00:00",
                       "channel": "door_knock", "identifiers": who})
        if converts(i, arms[prop["property_id"].lower()]):
            events.append({"event_id": f"c{i}", "kind": "conversion", "storm_id": STORM,
                           "ts": "2026-05-03T10:00:00", "revenue": 12_000.0,
                           "identifiers": who})
    return events


def _arms(platform: ExperimentsPlatform, experiment_id: str) -> dict[str, str]:
    rows = platform.store.unit_outcomes(platform.tenant, experiment_id, STORM)
    return {r["property_id"]: r["variant"] for r in rows}


def test_holdout_lift_matches_the_counts_and_feeds_the_report(
    platform: ExperimentsPlatform, driver, settings
) -> None:
    props = [{"property_id": f"P{i}", "zip": f"75{i % 20:03d}"} for i in range(400)]
    exp = platform.create_experiment("holdout", {"name": "storm holdout", "storm_id": STORM,
                                                 "control_share": 0.3})
    platform.assign_properties(exp, props)
    arms = _arms(platform, exp)
    # treated properties convert 1 in 3, held-out ones 1 in 10
    converts = lambda i, arm: i % (3 if arm == "treatment" else 10) == 0  # noqa: E731
    JourneyGraph(driver, settings.neo4j_database).load_events(
        platform.tenant, _events(props, arms, converts))
    readout = platform.measure_lift(exp)
    treated = [i for i, p in enumerate(props) if arms[p["property_id"].lower()] == "treatment"]
    held = [i for i, p in enumerate(props) if arms[p["property_id"].lower()] == "control"]
    x_t = sum(converts(i, "treatment") for i in treated)
    x_c = sum(converts(i, "control") for i in held)
    expected = rate_difference(x_t, len(treated), x_c, len(held))
    lift = readout["lifts"]["treatment"]["difference"]
    assert (lift["n_treatment"], lift["n_control"]) == (len(treated), len(held))
    assert lift["estimate"] == pytest.approx(expected.estimate)
    assert (lift["low"], lift["high"]) == pytest.approx((expected.low, expected.high))
    assert readout["arms"]["treatment"]["revenue_per_unit"] == pytest.approx(
        12_000.0 * x_t / len(treated))
    assert readout["srm"]["flagged"] is False
    assert platform.get_confidence_interval(exp) == pytest.approx((expected.low, expected.high))

    report = IncrementalityReporter(platform).generate_report(STORM)
    assert report["overall"]["estimate"] == pytest.approx(expected.estimate)
    assert report["headline"].startswith(f"StormOps improved conversions by "
                                         f"{expected.estimate * 100:+.1f} pts with 95%")
    page = render_html(report)
    assert "<svg" in page and STORM in page and report["headline"].split(" (")[0] in page


def test_a_geo_lift_uses_zip_clusters(platform: ExperimentsPlatform, driver, settings) -> None:
    props = [{"property_id": f"G{i}", "zip": f"76{i % 30:03d}"} for i in range(300)]
    exp = platform.create_experiment("geo_split", {"name": "geo", "storm_id": STORM})
    platform.assign_properties(exp, props)
    arms = _arms(platform, exp)
    JourneyGraph(driver, settings.neo4j_database).load_events(
        platform.tenant, _events(props, arms, lambda i, arm: i % 4 == 0))
    lift = platform.measure_lift(exp)["lifts"]["treatment"]["difference"]
    assert lift["method"] != rate_difference(1, 10, 1, 10).method  # clustered, not Newcombe
    assert lift["low"] <= lift["estimate"] <= lift["high"]


def test_lift_needs_a_storm(platform: ExperimentsPlatform) -> None:
    exp = platform.create_experiment("model_ab", {"name": "m"})
    with pytest.raises(InvalidInput) as err:
        platform.measure_lift(exp)
    assert err.value.field == "storm_id"


def test_the_reporter_interval_from_a_lift_and_sizes(platform: ExperimentsPlatform) -> None:
    reporter = IncrementalityReporter(platform)
    low, high = reporter.get_confidence_interval(0.02, 2000, 2000, control_rate=0.08)
    expected = rate_difference(200, 2000, 160, 2000)
    assert (low, high) == pytest.approx((expected.low, expected.high))


@pytest.mark.parametrize(
    ("low", "high", "start"),
    [(0.01, 0.05, "StormOps improved"), (-0.05, -0.01, "StormOps lowered"),
     (-0.01, 0.05, "StormOps changed")],
)
def test_the_headline_says_what_the_interval_says(low: float, high: float, start: str) -> None:
    from stormops.experiments.reporting import _headline

    line = _headline({"estimate": (low + high) / 2, "low": low, "high": high}, 0.95, True)
    assert line.startswith(start)
    assert ("includes no effect" in line) == (low < 0 < high)
