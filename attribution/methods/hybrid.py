"""Hybrid attribution: a weighted blend of other methods' per-touch credit."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from stormops.attribution.methods._journeys import Journeys
from stormops.attribution.methods._registry import BASE_METHODS

__all__ = ["hybrid"]

# How far the blend weights may sum from 1 (rounding in configs such as 0.1 + 0.2 + 0.7).
_WEIGHT_SUM_TOLERANCE = 1e-9


def hybrid(
    journeys: Journeys,
    *,
    weights: Mapping[str, float],
    params: Mapping[str, Mapping[str, Any]] | None = None,
) -> np.ndarray:
    """Blend the per-touch credit of several methods with fixed weights.

    Teams often trust no single model: a blend such as half Markov, half last touch keeps a
    data-driven view while staying close to the numbers the ad platforms report. Each
    method's credits sum to the journey's value, so a convex blend does too.

    Args:
        journeys: the journeys to credit.
        weights: method name -> weight; names from "first_touch", "last_touch", "linear",
            "time_decay", "position_based", "markov", "shapley"; weights >= 0, summing to 1.
        params: method name -> keyword arguments for that method, e.g.
            {"time_decay": {"half_life_days": 3.0}}; only for methods in `weights`.

    Returns:
        float64, shape (n_touches,): credit per touch, in units of the journey's value.

    Raises:
        ValueError: for an unknown method name, a negative or non-finite weight, weights
            that do not sum to 1, or params for a method that is not blended.

    Example:
        >>> journeys = Journeys.from_lists([[0, 1]], converted=[True], value=[10.0])
        >>> hybrid(journeys, weights={"first_touch": 0.5, "linear": 0.5}).tolist()
        [7.5, 2.5]
    """
    params = {} if params is None else params
    unknown = sorted(set(weights) - set(BASE_METHODS))
    if unknown:
        raise ValueError(f"weights name unknown methods {unknown}; known: {sorted(BASE_METHODS)}")
    bad = {name: w for name, w in weights.items() if not (math.isfinite(w) and w >= 0)}
    if bad:
        raise ValueError(f"weights must be finite and >= 0, got {bad}")
    total = math.fsum(weights.values())
    if abs(total - 1) > _WEIGHT_SUM_TOLERANCE:
        raise ValueError(f"weights must sum to 1, got {total} from {dict(weights)}")
    stray = sorted(set(params) - set(weights))
    if stray:
        raise ValueError(f"params given for methods not in weights: {stray}")
    credits = np.zeros(journeys.channel.size)
    for name, weight in weights.items():
        if weight > 0:
            credits += weight * BASE_METHODS[name](journeys, **params.get(name, {}))
    return credits
