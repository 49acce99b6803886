"""Time-decay attribution: touches closer to the conversion get exponentially more credit."""

from __future__ import annotations

import math

import numpy as np

from stormops.attribution.methods._journeys import Journeys, spread_value

__all__ = ["time_decay"]

SECONDS_PER_DAY = 86_400.0


def time_decay(journeys: Journeys, *, half_life_days: float = 7.0) -> np.ndarray:
    """Split each converted journey's value by weights that halve every `half_life_days`.

    A touch `age` seconds before the conversion weighs 2^(-age / half_life); weights are
    normalized within the journey. Storm-restoration sales cycles are short, so the default
    one-week half-life favours the inspection and follow-up touches over the first flyer
    without zeroing it. Weights are computed relative to the journey's youngest touch (the
    normalization cancels the common factor), so touches years old do not underflow to a
    journey with no weight. Touches are expected at or before the conversion time.

    Args:
        journeys: the journeys to credit; `conversion_ts` (or the last touch's `ts` where it
            is NaN) is the reference time.
        half_life_days: days after which a touch's weight halves; finite and > 0.

    Returns:
        float64, shape (n_touches,): credit per touch, in units of the journey's value.

    Raises:
        ValueError: when `half_life_days` is not a finite positive number.

    Example:
        >>> day = 86_400.0
        >>> journeys = Journeys.from_lists([[0, 1]], converted=[True], ts=[[0.0, 7 * day]])
        >>> time_decay(journeys).round(4).tolist()
        [0.3333, 0.6667]
    """
    if not (math.isfinite(half_life_days) and half_life_days > 0):
        raise ValueError(f"half_life_days must be finite and > 0, got {half_life_days}")
    offsets, journey = journeys.offsets, journeys.journey_index
    age = journeys.conversion_time[journey] - journeys.ts
    youngest = np.minimum.reduceat(age, offsets[:-1])
    weights = np.exp2(-(age - youngest[journey]) / (half_life_days * SECONDS_PER_DAY))
    return spread_value(journeys, weights)
