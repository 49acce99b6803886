"""attribution/methods/shapley.py: Shapley axioms, closed form, brute force, sampling."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from stormops.attribution.methods import (
    Journeys,
    ShapleyResult,
    by_channel,
    shapley,
    shapley_values,
)


def _closed_form(journeys: Journeys) -> np.ndarray:
    """Zhao et al.'s simplified Shapley value, one journey at a time in Python."""
    values = np.zeros(journeys.n_channels)
    for j in range(journeys.n_journeys):
        if journeys.converted[j]:
            channels = set(journeys.channel[journeys.offsets[j] : journeys.offsets[j + 1]])
            for channel in channels:
                values[channel] += journeys.value[j] / len(channels)
    return values


def _shapley_by_permutations(journeys: Journeys) -> np.ndarray:
    """Shapley values from the definition: mean marginal worth over all channel orders."""
    sets = [
        (frozenset(journeys.channel[journeys.offsets[j] : journeys.offsets[j + 1]].tolist()), v)
        for j, v in enumerate(journeys.payout)
    ]

    def worth(coalition: set[int]) -> float:
        return sum(v for channels, v in sets if channels <= coalition)

    n = journeys.n_channels
    values = np.zeros(n)
    for order in itertools.permutations(range(n)):
        coalition: set[int] = set()
        for channel in order:
            before = worth(coalition)
            coalition.add(channel)
            values[channel] += worth(coalition) - before
    return values / math.factorial(n)


def _random_small(seed: int, n_channels: int, n_journeys: int = 300) -> Journeys:
    """Random journeys of up to 4 touches over a few channels, with revenue."""
    rng = np.random.default_rng(seed)
    paths = [rng.integers(0, n_channels, rng.integers(1, 5)).tolist() for _ in range(n_journeys)]
    return Journeys.from_lists(
        paths,
        converted=rng.random(n_journeys) < 0.4,
        value=rng.lognormal(5, 1, n_journeys),
        n_channels=n_channels,
    )


def test_hand_computed_values_and_credits() -> None:
    # A B -> 10, B -> 4, B C C -> 6, C -> not converted. v(S) is the value of journeys whose
    # channel set lies in S; closed form: A = 10/2 = 5, B = 10/2 + 4 + 6/2 = 12, C = 6/2 = 3.
    journeys = Journeys.from_lists(
        [[0, 1], [1], [1, 2, 2], [2]],
        converted=[True, True, True, False],
        value=[10.0, 4.0, 6.0, 8.0],
    )
    result = shapley_values(journeys)
    assert result.exact
    np.testing.assert_allclose(result.values, [5.0, 12.0, 3.0], atol=1e-12)
    assert result.std_error.tolist() == [0.0, 0.0, 0.0]
    assert result.by_position is None
    # Per touch: equal split over distinct channels; C's 3 over its two touches.
    np.testing.assert_allclose(shapley(journeys), [5, 5, 4, 3, 1.5, 1.5, 0], atol=1e-12)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_exact_matches_the_definition_over_all_orders(seed: int) -> None:
    journeys = _random_small(seed, n_channels=5)
    np.testing.assert_allclose(
        shapley_values(journeys, method="exact").values,
        _shapley_by_permutations(journeys),
        rtol=1e-12,
    )


def test_exact_matches_the_closed_form(random_journeys: Journeys) -> None:
    np.testing.assert_allclose(
        shapley_values(random_journeys).values, _closed_form(random_journeys), rtol=1e-12
    )


def test_exact_with_sixteen_channels_matches_the_closed_form() -> None:
    journeys = _random_small(seed=4, n_channels=16, n_journeys=2_000)
    result = shapley_values(journeys)
    assert result.exact
    np.testing.assert_allclose(result.values, _closed_form(journeys), rtol=1e-10)


def test_efficiency(random_journeys: Journeys) -> None:
    # Sum of Shapley values = v(all channels) = total converted value.
    total = random_journeys.payout.sum()
    assert shapley_values(random_journeys).values.sum() == pytest.approx(total, rel=1e-12)


def test_symmetric_channels_get_equal_value() -> None:
    # Swapping channels 0 and 1 maps the journeys onto themselves.
    journeys = Journeys.from_lists(
        [[0, 2], [1, 2], [0, 1], [0], [1], [2, 0, 1]],
        converted=[True, True, True, False, False, True],
        value=[3.0, 3.0, 5.0, 1.0, 1.0, 2.0],
    )
    values = shapley_values(journeys).values
    assert values[0] == pytest.approx(values[1], rel=1e-12)


def test_null_players_get_zero() -> None:
    # Channel 2 is only in non-converting journeys; channel 3 never occurs.
    journeys = Journeys.from_lists(
        [[0, 1], [2, 0], [2]], converted=[True, False, False], n_channels=4
    )
    values = shapley_values(journeys).values
    assert values[2] == 0.0 and values[3] == 0.0
    np.testing.assert_allclose(values[:2], [0.5, 0.5])


def test_one_touch_and_repeated_channels() -> None:
    journeys = Journeys.from_lists([[0], [1, 1, 1]], converted=[True, True], value=[2.0, 3.0])
    np.testing.assert_allclose(shapley_values(journeys).values, [2.0, 3.0])
    np.testing.assert_allclose(shapley(journeys), [2.0, 1.0, 1.0, 1.0])


def test_per_touch_credit_is_the_equal_split_and_adds_up_to_the_values(
    random_journeys: Journeys,
) -> None:
    credits = shapley(random_journeys)
    repeats = random_journeys.channel_repeats
    distinct = np.add.reduceat(1 / repeats, random_journeys.offsets[:-1])
    equal_split = (random_journeys.payout / distinct)[random_journeys.journey_index] / repeats
    np.testing.assert_allclose(credits, equal_split, rtol=1e-12)
    np.testing.assert_allclose(
        by_channel(credits, random_journeys), shapley_values(random_journeys).values, rtol=1e-12
    )


def test_sampled_estimate_is_within_three_standard_errors_of_exact() -> None:
    journeys = _random_small(seed=5, n_channels=10, n_journeys=3_000)
    exact = shapley_values(journeys, method="exact")
    sampled = shapley_values(
        journeys, method="sampled", n_permutations=4_000, rng=np.random.default_rng(7)
    )
    assert not sampled.exact
    assert (sampled.std_error > 0).all()
    z = (sampled.values - exact.values) / sampled.std_error
    assert np.abs(z).max() < 3
    # Every sampled order distributes exactly v(all channels), so the estimate is efficient.
    assert sampled.values.sum() == pytest.approx(exact.values.sum(), rel=1e-12)


def test_more_than_sixteen_channels_are_sampled_and_need_a_generator() -> None:
    journeys = _random_small(seed=6, n_channels=20, n_journeys=500)
    with pytest.raises(ValueError, match="needs rng"):
        shapley_values(journeys)
    with pytest.raises(ValueError, match="at most 16 active channels, got 20"):
        shapley_values(journeys, method="exact")
    result = shapley_values(journeys, n_permutations=500, rng=np.random.default_rng(0))
    assert not result.exact
    z = (result.values - _closed_form(journeys)) / result.std_error
    assert np.abs(z).max() < 3


def test_many_channel_ids_with_few_active_stay_exact() -> None:
    # 130 ids need three 64-bit words per channel set; only 3 channels carry value.
    journeys = Journeys.from_lists(
        [[3, 70], [129], [70, 129, 70], [5]],
        converted=[True, True, True, False],
        value=[2.0, 1.0, 4.0, 9.0],
        n_channels=130,
    )
    result = shapley_values(journeys)
    assert result.exact
    expected = np.zeros(130)
    expected[[3, 70, 129]] = [1.0, 1.0 + 2.0, 1.0 + 2.0]
    np.testing.assert_allclose(result.values, expected, atol=1e-12)


def test_ordered_variant_books_credit_by_position() -> None:
    # A B A -> 1: A's 1/2 over positions 0 and 2, B's 1/2 at position 1.
    # B -> 1: B's 1 at position 0.
    journeys = Journeys.from_lists([[0, 1, 0], [1]], converted=[True, True])
    result = shapley_values(journeys, ordered=True)
    np.testing.assert_allclose(result.by_position, [[0.25, 0, 0.25], [1.0, 0.5, 0]])
    np.testing.assert_allclose(result.by_position.sum(axis=1), result.values)


def test_ordered_rows_sum_to_values(random_journeys: Journeys) -> None:
    result = shapley_values(random_journeys, ordered=True)
    assert result.by_position.shape == (6, 6)
    np.testing.assert_allclose(result.by_position.sum(axis=1), result.values, rtol=1e-12)


def test_no_conversions() -> None:
    journeys = Journeys.from_lists([[0, 1]], converted=[False])
    result = shapley_values(journeys)
    assert isinstance(result, ShapleyResult)
    assert result.values.tolist() == [0.0, 0.0]
    assert shapley(journeys).tolist() == [0.0, 0.0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "approximate"}, "method must be 'auto', 'exact' or 'sampled'"),
        ({"method": "sampled", "n_permutations": 1}, "n_permutations must be >= 2, got 1"),
        ({"method": "sampled"}, "needs rng"),
    ],
)
def test_invalid_arguments(kwargs: dict, message: str) -> None:
    journeys = Journeys.from_lists([[0, 1]], converted=[True])
    with pytest.raises(ValueError, match=message):
        shapley_values(journeys, **kwargs)
