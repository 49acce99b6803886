"""Name -> function table of the attribution methods a hybrid can blend."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from stormops.attribution.methods.first_touch import first_touch
from stormops.attribution.methods.last_touch import last_touch
from stormops.attribution.methods.linear import linear
from stormops.attribution.methods.markov import markov
from stormops.attribution.methods.position_based import position_based
from stormops.attribution.methods.shapley import shapley
from stormops.attribution.methods.time_decay import time_decay

# Every method maps (journeys, **params) to credit_per_touch.
CreditMethod = Callable[..., np.ndarray]

BASE_METHODS: dict[str, CreditMethod] = {
    "first_touch": first_touch,
    "last_touch": last_touch,
    "linear": linear,
    "time_decay": time_decay,
    "position_based": position_based,
    "markov": markov,
    "shapley": shapley,
}
