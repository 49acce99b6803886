"""Experiments stored in the real graph: geo designs keep zips whole, arms are stable."""

from __future__ import annotations

from collections import defaultdict

import pytest

from stormops.core.errors import InvalidInput, NotFound
from stormops.experiments.platform import ExperimentsPlatform
from stormops.graph.experiments import ExperimentStore
from stormops.graph.storms import StormStore


@pytest.fixture
def platform(driver, settings, tenant: str) -> ExperimentsPlatform:
    return ExperimentsPlatform(tenant, store=ExperimentStore(driver, settings.neo4j_database),
                               storms=StormStore(driver, settings.neo4j_database))


PROPERTIES = [{"property_id": f"P{i}", "zip": f"75{i % 40:03d}", "uplift_band": f"b{i % 3}"}
              for i in range(600)]


def _arms(platform: ExperimentsPlatform, experiment_id: str) -> dict[str, str]:
    records, _, _ = platform.store.driver.execute_query(
        "MATCH (:Experiment {experiment_id: $id})-[a:ASSIGNED]->(p:Property) "
        "RETURN p.property_id AS p, p.zip AS zip, a.variant AS v",
        id=experiment_id, database_=platform.store.database)
    return {r["p"]: (r["zip"], r["v"]) for r in records}


def test_geo_split_keeps_every_zip_in_one_arm(platform: ExperimentsPlatform) -> None:
    exp = platform.create_experiment("geo_split", {"name": "DFW hail geo"})
    summary = platform.assign_properties(exp, PROPERTIES)
    assert sum(summary.units.values()) == 40 and sum(summary.properties.values()) == 600
    by_zip = defaultdict(set)
    for zip_code, variant in _arms(platform, exp).values():
        by_zip[zip_code].add(variant)
    assert len(by_zip) == 40 and all(len(v) == 1 for v in by_zip.values())
    assert {v for (v,) in map(tuple, by_zip.values())} == {"treatment", "control"}


def test_reassigning_is_stable_and_reports_bad_rows(platform: ExperimentsPlatform) -> None:
    exp = platform.create_experiment("policy_test", {"name": "policy", "salt": "s1"})
    first = platform.assign_properties(exp, PROPERTIES[:300])
    arms = _arms(platform, exp)
    again = platform.assign_properties(exp, [*PROPERTIES, {"zip": "75001"}])
    assert again.rejected == [(600, "property_id: required")]
    after = _arms(platform, exp)
    assert all(after[p] == arm for p, arm in arms.items())
    assert sum(first.units.values()) == 300 and sum(again.units.values()) == 600
    assert not again.srm.flagged


def test_experiments_are_tenant_scoped(platform: ExperimentsPlatform) -> None:
    exp = platform.create_experiment("model_ab", {"name": "m"})
    other = ExperimentsPlatform(f"{platform.tenant}-other", store=platform.store,
                                storms=platform.storms)
    with pytest.raises(NotFound):
        other.assign_properties(exp, PROPERTIES[:5])
    assert platform.config(exp).variants == ("model_a", "model_b")


def test_a_geo_design_needs_zips_and_templates_are_validated(
    platform: ExperimentsPlatform
) -> None:
    exp = platform.create_experiment("geo_split", {"name": "g"})
    summary = platform.assign_properties(exp, [{"property_id": "P1"}])
    assert summary.rejected == [(0, "zip: required by a geo design")] and summary.srm is None
    with pytest.raises(InvalidInput) as err:
        platform.create_experiment("holdout", {"name": "h", "control_share": 2})
    assert err.value.field == "control_share"


def test_a_geo_arm_of_one_zip_has_a_difference_but_no_interval() -> None:
    """Geo arms are drawn by zip hash: with few zips one arm can hold a single zip, whose
    spread across zips is unknown. The readout then gives the difference, unbounded."""
    from stormops.experiments.platform import _lifts

    treated = [{"unit": f"z{i % 4}", "converted": i % 3 == 0, "revenue": 0.0}
               for i in range(40)]
    control = [{"unit": "z9", "converted": i % 5 == 0, "revenue": 0.0} for i in range(10)]
    difference = _lifts(treated, control, clustered=True, confidence=0.95)["difference"]
    assert difference.estimate == pytest.approx(14 / 40 - 2 / 10)
    assert (difference.low, difference.high) == (float("-inf"), float("inf"))
    assert (difference.n_treatment, difference.n_control) == (4, 1)
    two_zips = [{**row, "unit": f"z{8 + i % 2}"} for i, row in enumerate(control)]
    bounded = _lifts(treated, two_zips, clustered=True, confidence=0.95)["difference"]
    assert bounded.low > -1 and bounded.high < 1
