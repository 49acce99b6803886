"""The known-truth sample: deterministic, its ROI is what its curves add per dollar, and its
events add up to its weeks."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from stormops.samples.mmm import adstock, generate_mmm, to_events


def test_sample_is_deterministic_and_roi_is_response_over_spend() -> None:
    a, b = generate_mmm(weeks=60, channels=4, seed=5), generate_mmm(weeks=60, channels=4, seed=5)
    assert np.array_equal(a.revenue, b.revenue) and a.storms == b.storms
    assert not np.array_equal(a.revenue, generate_mmm(weeks=60, channels=4, seed=6).revenue)
    truth = a.truth["door_knock"]
    u = truth.lam * adstock(a.spend["door_knock"], truth.alpha) / truth.scale
    response = truth.beta * (1 - np.exp(-u)) / (1 + np.exp(-u))
    assert truth.roi == pytest.approx(response.sum() / a.spend["door_knock"].sum())
    assert [t["channel"] for t in a.lift_tests] == ["door_knock", "call_center", "paid_search"]
    assert all(t["delta_x"] == -t["x"] and t["sigma"] > 0 for t in a.lift_tests)


def test_events_add_up_to_the_weeks() -> None:
    sample = generate_mmm(weeks=30, channels=3, seed=1)
    events = to_events(sample)
    spend: dict[str, float] = defaultdict(float)
    revenue = 0.0
    for event in events:
        if event["kind"] == "touch":
            spend[event["channel"]] += event["cost"]
        else:
            revenue += event["revenue"]
    for channel, weekly in sample.spend.items():
        assert spend[channel] == pytest.approx(weekly.sum(), abs=0.01)
    assert revenue == pytest.approx(sample.revenue.sum(), abs=0.01)
    assert len({e["event_id"] for e in events}) == len(events)
    assert all(e["storm_id"] for e in events)
