"""attribution/methods/time_decay.py: hand-computed cases and edge cases."""

from __future__ import annotations

import numpy as np
import pytest

from stormops.attribution.methods import Journeys, linear, time_decay

DAY = 86_400.0


def test_weights_halve_every_half_life() -> None:
    # Touches 14, 7 and 0 days before the conversion weigh 1/4, 1/2, 1; sum 7/4:
    # shares 1/7, 2/7, 4/7 of 70 = 10, 20, 40.
    journeys = Journeys.from_lists(
        [[0, 1, 2]], converted=[True], value=[70.0], ts=[[0.0, 7 * DAY, 14 * DAY]]
    )
    np.testing.assert_allclose(time_decay(journeys), [10.0, 20.0, 40.0])


def test_conversion_time_is_the_reference_and_half_life_is_configurable() -> None:
    # Conversion 2 days after the last touch, half-life 2 days: ages 4 and 2 days weigh
    # 1/4 and 1/2, so shares 1/3 and 2/3 (the common factor cancels).
    journeys = Journeys.from_lists(
        [[0, 1]], converted=[True], ts=[[0.0, 2 * DAY]], conversion_ts=[4 * DAY]
    )
    np.testing.assert_allclose(time_decay(journeys, half_life_days=2.0), [1 / 3, 2 / 3])


def test_single_touch_repeats_and_non_converting() -> None:
    journeys = Journeys.from_lists(
        [[0], [1, 1], [2, 0]],
        converted=[True, True, False],
        value=[5.0, 6.0, 9.0],
        ts=[[0.0], [0.0, 7 * DAY], [0.0, DAY]],
    )
    np.testing.assert_allclose(time_decay(journeys), [5.0, 2.0, 4.0, 0.0, 0.0])


def test_simultaneous_touches_reduce_to_linear() -> None:
    same_time = Journeys.from_lists([[0, 1, 2], [1, 1]], converted=[True, True])
    np.testing.assert_allclose(time_decay(same_time), linear(same_time))


def test_very_old_touches_do_not_underflow_to_nan() -> None:
    # 100 years at a 1-day half-life is 2^-36500 for both touches: 0 without rescaling.
    ts = [[0.0, DAY]]
    journeys = Journeys.from_lists([[0, 1]], converted=[True], ts=ts, conversion_ts=[36_500 * DAY])
    np.testing.assert_allclose(time_decay(journeys, half_life_days=1.0), [1 / 3, 2 / 3])


@pytest.mark.parametrize("half_life_days", [0.0, -1.0, float("inf"), float("nan")])
def test_half_life_must_be_positive_and_finite(half_life_days: float) -> None:
    journeys = Journeys.from_lists([[0]], converted=[True])
    with pytest.raises(ValueError, match="half_life_days must be finite and > 0"):
        time_decay(journeys, half_life_days=half_life_days)
