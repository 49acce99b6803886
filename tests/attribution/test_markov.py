"""attribution/methods/markov.py: hand-computed chains, brute-force checks, crediting."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from stormops.attribution.methods import (
    Journeys,
    MarkovModel,
    by_channel,
    fit_markov,
    last_touch,
    markov,
    total_by_channel,
)
from stormops.attribution.methods.markov import START

A, B, C, D = 0, 1, 2, 3


@pytest.fixture
def assist_journeys() -> Journeys:
    """A B -> conv, A -> null, B -> conv, C B -> null: C only ever assists B."""
    return Journeys.from_lists([[A, B], [A], [B], [C, B]], converted=[True, False, True, False])


def test_hand_computed_first_order_chain(assist_journeys: Journeys) -> None:
    # Transitions: start -> A 2/4, B 1/4, C 1/4; A -> B 1/2, null 1/2; B -> conv 2/3,
    # null 1/3; C -> B 1. Absorption: h_B = 2/3, h_A = 1/2 * 2/3 = 1/3, h_C = h_B = 2/3,
    # P = 1/2 * 1/3 + 1/4 * 2/3 + 1/4 * 2/3 = 1/2.
    # Without A: 1/4 * 2/3 + 1/4 * 2/3 = 1/3 -> RE 1 - (1/3)/(1/2) = 1/3.
    # Without B: every path to conversion passes B -> P = 0 -> RE 1.
    # Without C: 1/6 + 1/6 = 1/3 -> RE 1/3. Weights (1/3, 1, 1/3) / (5/3) = 0.2, 0.6, 0.2.
    model = fit_markov(assist_journeys)
    assert model.p_conversion == pytest.approx(0.5, abs=1e-12)
    np.testing.assert_allclose(model.removal_effects, [1 / 3, 1, 1 / 3], atol=1e-12)
    np.testing.assert_allclose(model.weights, [0.2, 0.6, 0.2], atol=1e-12)
    # Two conversions distributed by weight: the ChannelAttribution-style report.
    np.testing.assert_allclose(total_by_channel(model, 2.0), [0.4, 1.2, 0.4], atol=1e-12)
    # A B converted: A gets 0.2 / (0.2 + 0.6) = 1/4, B 3/4; B alone gets everything.
    np.testing.assert_allclose(markov(assist_journeys), [0.25, 0.75, 0, 1, 0, 0], atol=1e-12)


def test_channel_that_never_converts_keeps_its_assist_credit_in_first_order(
    assist_journeys: Journeys,
) -> None:
    # C appears only in a non-converting journey, yet in the first-order chain it feeds B,
    # which converts 2/3 of the time: removing C loses the start -> C -> B traffic (RE 1/3,
    # above). In the second-order chain the state (C, B) always ends in null, so RE(C) = 0:
    # start -> (start,A) 1/2, (start,B) 1/4, (start,C) 1/4; (start,A) -> (A,B) 1/2, null 1/2;
    # (A,B) -> conv; (start,B) -> conv; (start,C) -> (C,B) -> null. P = 1/4 + 1/4 = 1/2;
    # without A: 1/4 -> RE 1/2; without B: 0 -> RE 1; without C: 1/2 -> RE 0.
    model = fit_markov(assist_journeys, order=2)
    assert model.p_conversion == pytest.approx(0.5, abs=1e-12)
    np.testing.assert_allclose(model.removal_effects, [0.5, 1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(model.weights, [1 / 3, 2 / 3, 0.0], atol=1e-12)


def test_dead_end_channel_gets_no_removal_effect() -> None:
    # D only ever ends non-converting journeys: removing it changes nothing.
    journeys = Journeys.from_lists([[A, D], [A], [D]], converted=[False, True, False])
    model = fit_markov(journeys)
    assert model.removal_effects[D] == 0.0
    assert markov(journeys)[journeys.channel == D].tolist() == [0.0, 0.0]


def test_single_touch_journeys_reduce_to_conversion_shares() -> None:
    # With one touch per journey, removing c loses exactly the conversions that went
    # through c: RE(c) = conversions via c / all conversions (here 2/3 and 1/3), and the
    # journey credit equals last touch.
    journeys = Journeys.from_lists(
        [[A], [A], [B], [B], [C]], converted=[True, True, True, False, False]
    )
    model = fit_markov(journeys)
    np.testing.assert_allclose(model.removal_effects, [2 / 3, 1 / 3, 0.0], atol=1e-12)
    np.testing.assert_allclose(markov(journeys), last_touch(journeys))


def test_repeated_channel_hand_computed() -> None:
    # A A B -> conv, A -> null. start -> A 1; A -> A 1/3, B 1/3, null 1/3; B -> conv 1.
    # h_A = 1/3 h_A + 1/3 -> h_A = 1/2 = P. Without A or B, no path converts: RE 1 and 1,
    # weights 1/2 each. A's half of the converted journey is shared by its two touches.
    journeys = Journeys.from_lists([[A, A, B], [A]], converted=[True, False])
    model = fit_markov(journeys)
    assert model.p_conversion == pytest.approx(0.5, abs=1e-12)
    np.testing.assert_allclose(model.removal_effects, [1.0, 1.0], atol=1e-12)
    np.testing.assert_allclose(markov(journeys), [0.25, 0.25, 0.5, 0.0], atol=1e-12)


def test_self_loops_do_not_change_first_order_removal_effects(random_journeys: Journeys) -> None:
    # Absorption probabilities of a state are unchanged by a self-loop (its other
    # transitions renormalize), so collapsing A A into A gives the same first-order model.
    paths = np.split(random_journeys.channel, random_journeys.offsets[1:-1])
    collapsed = [path[np.r_[True, path[1:] != path[:-1]]].tolist() for path in paths]
    collapsed_journeys = Journeys.from_lists(
        collapsed, random_journeys.converted, n_channels=random_journeys.n_channels
    )
    original = fit_markov(random_journeys)
    np.testing.assert_allclose(
        fit_markov(collapsed_journeys).removal_effects, original.removal_effects, atol=1e-12
    )


def test_order_matters_hand_computed() -> None:
    # A B -> conv, B A -> null. First order: start -> A, B 1/2 each; A -> B 1/2, null 1/2;
    # B -> conv 1/2, A 1/2. h_B = 1/2 + 1/2 h_A, h_A = 1/2 h_B -> h_B = 2/3, h_A = 1/3,
    # P = 1/2. Without A: P = 1/2 * 1/2 = 1/4 -> RE 1/2; without B: RE 1.
    # Second order sees that only A-then-B converts: removing either kills it, RE 1 and 1.
    journeys = Journeys.from_lists([[A, B], [B, A]], converted=[True, False])
    first, second = fit_markov(journeys), fit_markov(journeys, order=2)
    np.testing.assert_allclose(first.removal_effects, [0.5, 1.0], atol=1e-12)
    np.testing.assert_allclose(second.removal_effects, [1.0, 1.0], atol=1e-12)
    assert second.p_conversion == pytest.approx(0.5, abs=1e-12)


def _counted_transitions(journeys: Journeys, order: int) -> Counter[tuple[tuple, tuple]]:
    """Transition counts between state tuples, counted one journey at a time in Python."""
    counts: Counter[tuple[tuple, tuple]] = Counter()
    for j in range(journeys.n_journeys):
        path = [START] * (order - 1) + journeys.channel[
            journeys.offsets[j] : journeys.offsets[j + 1]
        ].tolist()
        states = [("start",)] + [tuple(path[i : i + order]) for i in range(len(path) - order + 1)]
        states.append(("conversion",) if journeys.converted[j] else ("null",))
        counts.update(zip(states[:-1], states[1:], strict=True))
    return counts


def _state_names(model: MarkovModel) -> list[tuple]:
    """Label of each transition-matrix index, matching `_counted_transitions`."""
    return [("start",), *map(tuple, model.states.tolist()), ("conversion",), ("null",)]


@pytest.mark.parametrize("order", [1, 2])
def test_transition_matrix_matches_a_python_count(random_journeys: Journeys, order: int) -> None:
    model = fit_markov(random_journeys, order=order)
    names = _state_names(model)
    counts = _counted_transitions(random_journeys, order)
    expected = np.zeros_like(model.transitions)
    for (source, target), count in counts.items():
        expected[names.index(source), names.index(target)] = count
    expected[-2, -2] = expected[-1, -1] = 1
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(model.transitions, expected, atol=1e-15)


def _p_conversion_by_matrix_power(model: MarkovModel, removed: int | None) -> float:
    """P(start is absorbed in conversion) from the 2^60-th power of the full chain."""
    matrix = model.transitions.copy()
    n_states = model.states.shape[0]
    conversion, null = n_states + 1, n_states + 2
    if removed is not None:
        gone = 1 + np.flatnonzero((model.states == removed).any(axis=1))
        matrix[gone] = 0.0
        matrix[gone, null] = 1.0
    for _ in range(60):
        matrix = matrix @ matrix
    return float(matrix[0, conversion])


@pytest.mark.parametrize("order", [1, 2])
def test_removal_effects_match_brute_force_absorption(
    random_journeys: Journeys, order: int
) -> None:
    model = fit_markov(random_journeys, order=order)
    p_full = _p_conversion_by_matrix_power(model, None)
    assert model.p_conversion == pytest.approx(p_full, abs=1e-12)
    expected = [
        1 - _p_conversion_by_matrix_power(model, c) / p_full
        for c in range(random_journeys.n_channels)
    ]
    np.testing.assert_allclose(model.removal_effects, expected, atol=1e-9)
    assert model.weights.sum() == pytest.approx(1.0)


def test_transition_rows_are_distributions(random_journeys: Journeys) -> None:
    model = fit_markov(random_journeys, order=2)
    np.testing.assert_allclose(model.transitions.sum(axis=1), 1.0)
    assert (model.transitions >= 0).all()


def test_channel_absent_from_data_gets_zero() -> None:
    journeys = Journeys.from_lists([[A, B], [B]], converted=[True, False], n_channels=4)
    model = fit_markov(journeys)
    assert model.removal_effects[[C, D]].tolist() == [0.0, 0.0]


def test_no_conversions_gives_zero_effects_and_credit() -> None:
    journeys = Journeys.from_lists([[A, B], [B]], converted=[False, False])
    model = fit_markov(journeys)
    assert model.p_conversion == 0.0
    assert model.removal_effects.tolist() == [0.0, 0.0]
    assert model.weights.tolist() == [0.0, 0.0]
    assert markov(journeys).tolist() == [0.0, 0.0, 0.0]


def test_model_fitted_elsewhere_is_applied(assist_journeys: Journeys) -> None:
    model = fit_markov(assist_journeys)
    other = Journeys.from_lists([[C, A, C]], converted=[True], value=[10.0])
    # Weights A 0.2, C 0.2: half each; C's half over its two touches.
    np.testing.assert_allclose(markov(other, model=model), [2.5, 5.0, 2.5])


def test_credits_and_channel_report_both_distribute_the_total(
    random_journeys: Journeys,
) -> None:
    model = fit_markov(random_journeys)
    credits = markov(random_journeys, model=model)
    total = random_journeys.payout.sum()
    assert by_channel(credits, random_journeys).sum() == pytest.approx(total)
    assert total_by_channel(model, total).sum() == pytest.approx(total)


def test_invalid_arguments() -> None:
    journeys = Journeys.from_lists([[A, B]], converted=[True])
    with pytest.raises(ValueError, match="order must be 1 or 2, got 3"):
        fit_markov(journeys, order=3)  # type: ignore[arg-type]
    wider = Journeys.from_lists([[A, B]], converted=[True], n_channels=3)
    with pytest.raises(ValueError, match="model is for 2 channels, journeys have 3"):
        markov(wider, model=fit_markov(journeys))
    with pytest.raises(ValueError, match="total_value must be finite"):
        total_by_channel(fit_markov(journeys), float("nan"))
