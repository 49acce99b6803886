"""attribution/methods/__init__.py: the registry and invariants every method must keep."""

from __future__ import annotations

import numpy as np
import pytest

import stormops.attribution.methods as methods
from stormops.attribution.methods import METHODS, Journeys, by_channel

# Keyword arguments that make each registered method runnable with non-default settings too.
PARAMS: dict[str, dict] = {
    "first_touch": {},
    "last_touch": {},
    "linear": {},
    "time_decay": {"half_life_days": 3.0},
    "position_based": {"first": 0.3, "last": 0.5},
    "markov": {"order": 2},
    "shapley": {},
    "hybrid": {"weights": {"markov": 0.5, "shapley": 0.25, "time_decay": 0.25}},
}


def test_registry_names_and_exports() -> None:
    assert set(METHODS) == set(PARAMS)
    for name, method in METHODS.items():
        assert getattr(methods, name) is method
    assert set(methods.__all__) <= set(dir(methods))


@pytest.mark.parametrize("name", sorted(PARAMS))
@pytest.mark.parametrize("with_params", [False, True])
def test_credits_of_a_converted_journey_sum_to_its_value(
    random_journeys: Journeys, name: str, with_params: bool
) -> None:
    params = PARAMS[name] if with_params or name == "hybrid" else {}
    credits = METHODS[name](random_journeys, **params)
    assert credits.dtype == np.float64
    assert credits.shape == random_journeys.channel.shape
    assert (credits >= 0).all()
    per_journey = np.add.reduceat(credits, random_journeys.offsets[:-1])
    np.testing.assert_allclose(per_journey, random_journeys.payout, rtol=1e-12, atol=1e-9)
    not_converted = ~random_journeys.converted[random_journeys.journey_index]
    assert (credits[not_converted] == 0).all()
    np.testing.assert_allclose(
        by_channel(credits, random_journeys).sum(), random_journeys.payout.sum(), rtol=1e-12
    )


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_one_touch_journeys_give_the_touch_everything(name: str) -> None:
    journeys = Journeys.from_lists(
        [[0], [1], [2], [1]], converted=[True, True, False, False], value=[3.0, 4.0, 5.0, 6.0]
    )
    np.testing.assert_allclose(METHODS[name](journeys, **PARAMS[name]), [3.0, 4.0, 0.0, 0.0])


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_empty_table_gives_empty_float_credits(name: str) -> None:
    journeys = Journeys.from_lists([], converted=[], n_channels=3)
    credits = METHODS[name](journeys, **PARAMS[name])
    assert credits.shape == (0,) and credits.dtype == np.float64
    assert by_channel(credits, journeys).tolist() == [0.0, 0.0, 0.0]
