"""attribution/methods/hybrid.py: blends and weight validation."""

from __future__ import annotations

import numpy as np
import pytest

from stormops.attribution.methods import (
    Journeys,
    first_touch,
    hybrid,
    last_touch,
    markov,
    time_decay,
)


def test_blend_is_the_weighted_sum_of_the_methods(random_journeys: Journeys) -> None:
    credits = hybrid(random_journeys, weights={"markov": 0.6, "last_touch": 0.4})
    expected = 0.6 * markov(random_journeys) + 0.4 * last_touch(random_journeys)
    np.testing.assert_allclose(credits, expected, rtol=1e-12)


def test_hand_computed_blend() -> None:
    # First touch gives (10, 0, 0), last touch (0, 0, 10); 30/70 blend -> (3, 0, 7).
    journeys = Journeys.from_lists([[0, 1, 2], [1]], converted=[True, False], value=[10.0, 5.0])
    credits = hybrid(journeys, weights={"first_touch": 0.3, "last_touch": 0.7})
    np.testing.assert_allclose(credits, [3.0, 0.0, 7.0, 0.0])


def test_params_reach_the_blended_method(random_journeys: Journeys) -> None:
    credits = hybrid(
        random_journeys,
        weights={"time_decay": 0.5, "first_touch": 0.5},
        params={"time_decay": {"half_life_days": 2.0}},
    )
    decayed = time_decay(random_journeys, half_life_days=2.0)
    expected = 0.5 * decayed + 0.5 * first_touch(random_journeys)
    np.testing.assert_allclose(credits, expected, rtol=1e-12)


def test_weights_may_carry_rounding_error() -> None:
    journeys = Journeys.from_lists([[0, 1]], converted=[True])
    weights = {"first_touch": 0.1, "last_touch": 0.2, "linear": 0.7}
    np.testing.assert_allclose(hybrid(journeys, weights=weights), [0.45, 0.55])


@pytest.mark.parametrize(
    ("weights", "params", "message"),
    [
        ({"first_touch": 0.5, "hybrid": 0.5}, None, r"unknown methods \['hybrid'\]"),
        ({"lineal": 1.0}, None, r"unknown methods \['lineal'\]"),
        ({"first_touch": 1.5, "last_touch": -0.5}, None, "finite and >= 0.*last_touch"),
        ({"first_touch": float("nan")}, None, "finite and >= 0"),
        ({"first_touch": 0.5, "last_touch": 0.4}, None, "must sum to 1, got 0.9"),
        ({}, None, "must sum to 1, got 0"),
        ({"linear": 1.0}, {"markov": {"order": 2}}, r"not in weights: \['markov'\]"),
    ],
)
def test_invalid_weights(weights: dict, params: dict | None, message: str) -> None:
    journeys = Journeys.from_lists([[0, 1]], converted=[True])
    with pytest.raises(ValueError, match=message):
        hybrid(journeys, weights=weights, params=params)
