"""The incremental-credit arithmetic, against hand-computed cases."""

from __future__ import annotations

import math

import pytest

from stormops.attribution.incremental import (
    calibrated_shares,
    incremental_conversions,
    lift_multiplier,
    roadmap_incremental_credit,
)


def test_roadmap_formula_exactly() -> None:
    assert lift_multiplier(0.12, 0.08) == pytest.approx(0.5)
    credit = roadmap_incremental_credit({"sms": 40.0, "door_knock": 60.0}, 0.12, 0.08)
    assert credit == pytest.approx({"sms": 20.0, "door_knock": 30.0})
    assert math.isinf(lift_multiplier(0.1, 0.0)) and math.isnan(lift_multiplier(0.0, 0.0))


def test_incremental_conversions_sum_to_the_measured_total() -> None:
    # 1,000 treated units converting at 12% against a 8% control: 40 incremental conversions
    shares = {"sms": 0.25, "door_knock": 0.75}
    split = incremental_conversions(shares, 120, 1_000, 0.08)
    assert split == pytest.approx({"sms": 10.0, "door_knock": 30.0})
    assert sum(split.values()) == pytest.approx(120 - 1_000 * 0.08)
    # the roadmap formula over the same conversions reads t/c = 1.5 times higher
    roadmap = roadmap_incremental_credit({"sms": 30.0, "door_knock": 90.0}, 0.12, 0.08)
    assert sum(roadmap.values()) == pytest.approx(sum(split.values()) * 0.12 / 0.08)


def test_calibration_uses_measured_channels_and_scales_the_rest() -> None:
    fractional = {"door_knock": 50.0, "sms": 30.0, "email": 20.0}
    measured = {"door_knock": 10.0, "sms": 30.0}  # sms causes more than its path share says
    shares = calibrated_shares(fractional, measured)
    # door_knock + sms had path share 0.8 and 40 measured: email, at path share 0.2, gets 10
    assert shares == pytest.approx({"door_knock": 0.2, "sms": 0.6, "email": 0.2})
    assert calibrated_shares(fractional, {}) == pytest.approx(
        {"door_knock": 0.5, "sms": 0.3, "email": 0.2})
    assert calibrated_shares(fractional, {"sms": -5.0, "door_knock": 5.0})["sms"] == 0.0
