"""Multi-touch attribution methods: pure numpy functions from journeys to per-touch credit.

Every method takes a `Journeys` table (and keyword parameters) and returns credit_per_touch,
a float64 array aligned with `journeys.channel`: each touch's share of its journey's value,
zero for journeys that did not convert. A converted journey's credits sum to its value.
`by_channel` turns credits into per-channel totals; `METHODS` looks methods up by name.

Example:
    >>> from attribution.methods import METHODS, Journeys, by_channel
    >>> journeys = Journeys.from_lists([[0, 1, 2], [1]], converted=[True, True])
    >>> by_channel(METHODS["linear"](journeys), journeys).round(3).tolist()
    [0.333, 1.333, 0.333]
"""

from stormops.attribution.methods._journeys import Journeys, by_channel
from stormops.attribution.methods._registry import BASE_METHODS, CreditMethod
from stormops.attribution.methods.first_touch import first_touch
from stormops.attribution.methods.hybrid import hybrid
from stormops.attribution.methods.last_touch import last_touch
from stormops.attribution.methods.linear import linear
from stormops.attribution.methods.markov import (
    CONVERSION_KEY,
    NULL_KEY,
    START_KEY,
    MarkovModel,
    fit_markov,
    fit_markov_counts,
    markov,
    total_by_channel,
    transition_keys,
)
from stormops.attribution.methods.position_based import position_based
from stormops.attribution.methods.shapley import ShapleyResult, shapley, shapley_values
from stormops.attribution.methods.time_decay import time_decay

__all__ = [
    "CONVERSION_KEY",
    "METHODS",
    "NULL_KEY",
    "START_KEY",
    "CreditMethod",
    "Journeys",
    "MarkovModel",
    "ShapleyResult",
    "by_channel",
    "first_touch",
    "fit_markov",
    "fit_markov_counts",
    "hybrid",
    "last_touch",
    "linear",
    "markov",
    "position_based",
    "shapley",
    "shapley_values",
    "time_decay",
    "total_by_channel",
    "transition_keys",
]

# Name -> method, each callable as method(journeys, **params) -> credit_per_touch.
METHODS: dict[str, CreditMethod] = {**BASE_METHODS, "hybrid": hybrid}
