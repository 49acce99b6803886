"""Markov-chain attribution: credit channels by what the journeys would lose without them.

All journeys, converted or not, are read as walks through an absorbing Markov chain:
start -> state -> ... -> state -> conversion | null. A state is the current channel (order 1)
or the pair (previous channel or start, current channel) (order 2). Transition probabilities
are the observed transition frequencies.

The chain's conversion probability P is the absorption probability into `conversion` from
`start`, solved exactly: h = (I - Q)^-1 r, with Q the transient-to-transient block and r the
transient-to-conversion column; P = h[start]. The removal effect of channel c is
RE(c) = 1 - P_without_c / P, where removing c sends all traffic entering a state that
contains c to null. Channel weights are the removal effects normalized to sum to 1; this is
the "removal effect" method of Anderl et al. (2016) that ChannelAttribution implements.

Only states that occur in the data are kept, and each removal is one dense solve over the
remaining states: O(n_channels * n_states^3), trivial for order 1 and fine for order 2 up
to a few dozen channels. Counting transitions is one `np.bincount` over all touches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from stormops.attribution.methods._journeys import Journeys, split_by_channel_weights

__all__ = ["CONVERSION_KEY", "NULL_KEY", "START_KEY", "MarkovModel", "fit_markov",
           "fit_markov_counts", "markov", "total_by_channel", "transition_keys"]

# Channel id that stands for the journey start inside an order-2 state.
START = -1
# State keys of the chain's start and of its two absorbing ends (`transition_keys`).
START_KEY, CONVERSION_KEY, NULL_KEY = -1, -2, -3


@dataclass(frozen=True, eq=False)
class MarkovModel:
    """A fitted absorbing Markov chain over journeys, with its removal effects.

    Index layout of `transitions`: 0 is start, 1..n_states are the rows of `states`,
    n_states + 1 is conversion and n_states + 2 is null (both absorbing, self-loop 1).

    Attributes:
        order: 1 (state = current channel) or 2 (state = previous, current channel).
        n_channels: number of channel ids.
        states: int32, shape (n_states, order): channel ids of each observed state, oldest
            first; START (-1) pads the first touch of a journey for order 2.
        transitions: float64, shape (n_states + 3, n_states + 3): row-stochastic
            transition probabilities estimated from transition counts.
        p_conversion: probability that a walk from start is absorbed in conversion (0 when
            nothing converted).
        removal_effects: float64, shape (n_channels,): 1 - P_without_c / P, in [0, 1];
            0 for channels that never occur, and all 0 when P is 0.
        weights: float64, shape (n_channels,): removal effects normalized to sum to 1 (all
            0 when every removal effect is 0).
    """

    order: int
    n_channels: int
    states: np.ndarray
    transitions: np.ndarray
    p_conversion: float
    removal_effects: np.ndarray
    weights: np.ndarray


def fit_markov(journeys: Journeys, *, order: Literal[1, 2] = 1) -> MarkovModel:
    """Fit the absorbing chain of all journeys and compute every channel's removal effect.

    Removal effects measure how much of the chain's conversion probability flows through a
    channel, so a channel that assists (appears before converting channels) is credited even
    if it never closes a journey; unlike rule-based credit, they come from data.

    Args:
        journeys: all journeys, converted and not: non-converting journeys define the paths
            to null and are essential.
        order: 1 for states = current channel, 2 for states = (previous, current) channel.

    Returns:
        The fitted `MarkovModel`.

    Raises:
        ValueError: for an order other than 1 or 2.

    Example:
        >>> journeys = Journeys.from_lists(
        ...     [[0, 1], [0], [1], [2, 1]], converted=[True, False, True, False]
        ... )
        >>> model = fit_markov(journeys)
        >>> model.p_conversion, model.weights.round(3).tolist()
        (0.5, [0.2, 0.6, 0.2])
    """
    source, target = transition_keys(journeys, order=order)
    return fit_markov_counts(source, target, np.ones(source.size, dtype=np.int64),
                             n_channels=journeys.n_channels, order=order)


def transition_keys(journeys: Journeys, *, order: Literal[1, 2] = 1) -> tuple[np.ndarray,
                                                                               np.ndarray]:
    """Every transition of every journey, as (source, target) state keys.

    A state key is the channel id (order 1) or previous * n_channels + channel, with
    n_channels standing for the journey start as previous (order 2). Sources also take
    START_KEY; targets CONVERSION_KEY or NULL_KEY for the journey's end. Transition counts are
    additive over journeys, which is what lets a chain be kept up to date journey by journey
    and refitted from its counts (`fit_markov_counts`) exactly as from the journeys.

    Returns:
        int64 arrays `source` and `target`, shape (n_touches + n_journeys,).

    Raises:
        ValueError: for an order other than 1 or 2.
    """
    if order not in (1, 2):
        raise ValueError(f"order must be 1 or 2, got {order!r}")
    key = _state_keys(journeys, order)
    previous = np.empty_like(key)
    previous[1:] = key[:-1]
    previous[journeys.offsets[:-1]] = START_KEY
    last = journeys.offsets[1:] - 1
    source = np.concatenate((previous, key[last]))
    target = np.concatenate((key, np.where(journeys.converted, CONVERSION_KEY, NULL_KEY)))
    return source, target


def fit_markov_counts(source: np.ndarray, target: np.ndarray, count: np.ndarray, *,
                      n_channels: int, order: Literal[1, 2] = 1) -> MarkovModel:
    """Fit the absorbing chain from transition counts (see `transition_keys` for the keys).

    `fit_markov(journeys)` is this function over the journeys' own transitions, so counts
    summed journey by journey give the same model, to the last bit.

    Args:
        source: int64, shape (n,): source state key of each counted transition.
        target: int64, shape (n,): target state key.
        count: int64, shape (n,): how many times it was seen (>= 0).
        n_channels: number of channel ids the keys were made with.
        order: the order the keys were made with.

    Returns:
        The fitted `MarkovModel`.

    Raises:
        ValueError: for an order other than 1 or 2, or arrays of different lengths.
    """
    if order not in (1, 2):
        raise ValueError(f"order must be 1 or 2, got {order!r}")
    source, target, count = (np.asarray(a, dtype=np.int64) for a in (source, target, count))
    if not source.shape == target.shape == count.shape:
        raise ValueError(f"source, target and count must have one length, got {source.shape}, "
                         f"{target.shape}, {count.shape}")
    state_keys = np.unique(target[(target >= 0) & (count > 0)])
    n_states = int(state_keys.size)
    size = n_states + 3
    conversion, null = n_states + 1, n_states + 2

    def index(keys: np.ndarray) -> np.ndarray:
        found = np.searchsorted(state_keys, np.maximum(keys, 0)) + 1  # states are 1..n_states
        return np.select([keys == START_KEY, keys == CONVERSION_KEY, keys == NULL_KEY],
                         [0, conversion, null], found)

    counts = np.bincount(index(source) * size + index(target), weights=count,
                         minlength=size * size).reshape(size, size)
    counts[[conversion, null], [conversion, null]] = 1
    row_totals = counts.sum(axis=1, keepdims=True)
    transitions = np.divide(counts, row_totals, out=np.zeros((size, size)), where=row_totals > 0)

    states = _decode_states(state_keys, n_channels, order)
    transient_q = transitions[: n_states + 1, : n_states + 1]
    transient_r = transitions[: n_states + 1, conversion]
    keep_all = np.ones(n_states + 1, dtype=bool)
    p_conversion = _absorption(transient_q, transient_r, keep_all)
    removal_effects = np.zeros(n_channels)
    if p_conversion > 0:
        for channel in np.unique(states[states != START]):
            keep = keep_all.copy()
            keep[1:] = ~(states == channel).any(axis=1)
            p_without = _absorption(transient_q, transient_r, keep)
            # Removing states can only lose conversions; clip rounding noise to [0, 1].
            removal_effects[channel] = min(max(1 - p_without / p_conversion, 0.0), 1.0)
    total_effect = removal_effects.sum()
    weights = removal_effects / total_effect if total_effect > 0 else np.zeros(n_channels)
    return MarkovModel(
        order=order,
        n_channels=n_channels,
        states=states,
        transitions=transitions,
        p_conversion=p_conversion,
        removal_effects=removal_effects,
        weights=weights,
    )


def markov(
    journeys: Journeys, *, order: Literal[1, 2] = 1, model: MarkovModel | None = None
) -> np.ndarray:
    """Credit each converted journey's value to its channels by Markov removal-effect weight.

    The chain gives channel-level weights only; a journey's value is split over its distinct
    channels in proportion to their weights (renormalized within the journey), and each
    channel's share equally over its touches in that journey. Journey-level credits need
    not add up to `total_by_channel`, which is the classic channel-level report.

    Args:
        journeys: the journeys to credit.
        order: chain order used when `model` is not given.
        model: a model fitted elsewhere (e.g. on a longer window); its own order is used.

    Returns:
        float64, shape (n_touches,): credit per touch, in units of the journey's value.

    Raises:
        ValueError: for an invalid order, or a model for a different number of channels.

    Example:
        >>> journeys = Journeys.from_lists(
        ...     [[0, 1], [0], [1], [2, 1]], converted=[True, False, True, False]
        ... )
        >>> markov(journeys).round(3).tolist()
        [0.25, 0.75, 0.0, 1.0, 0.0, 0.0]
    """
    if model is None:
        model = fit_markov(journeys, order=order)
    elif model.n_channels != journeys.n_channels:
        raise ValueError(
            f"model is for {model.n_channels} channels, journeys have {journeys.n_channels}"
        )
    return split_by_channel_weights(journeys, model.weights)


def total_by_channel(model: MarkovModel, total_value: float) -> np.ndarray:
    """Distribute a total (conversions or revenue) over channels by removal-effect weight.

    This is the channel-level figure ChannelAttribution's `markov_model` reports: removal
    effects normalized, times total conversions (or total conversion value).

    Args:
        model: a fitted model.
        total_value: the total to distribute, e.g. `journeys.payout.sum()`.

    Returns:
        float64, shape (n_channels,): each channel's part of `total_value`.

    Raises:
        ValueError: when `total_value` is not finite.

    Example:
        >>> journeys = Journeys.from_lists(
        ...     [[0, 1], [0], [1], [2, 1]], converted=[True, False, True, False]
        ... )
        >>> total_by_channel(fit_markov(journeys), 2.0).round(3).tolist()
        [0.4, 1.2, 0.4]
    """
    if not math.isfinite(total_value):
        raise ValueError(f"total_value must be finite, got {total_value}")
    return model.weights * total_value


def _state_keys(journeys: Journeys, order: int) -> np.ndarray:
    """Per touch, its state as an integer key: channel, or previous * C + channel."""
    channel = journeys.channel.astype(np.int64)
    if order == 1:
        return channel
    previous = np.empty_like(channel)
    previous[1:] = channel[:-1]
    previous[journeys.offsets[:-1]] = journeys.n_channels  # the start marker
    return previous * journeys.n_channels + channel


def _decode_states(keys: np.ndarray, n_channels: int, order: int) -> np.ndarray:
    """Channel ids (oldest first, START for the start marker) of each state key."""
    if order == 1:
        return keys.astype(np.int32)[:, None]
    previous, current = np.divmod(keys, n_channels)
    previous[previous == n_channels] = START
    return np.stack((previous, current), axis=1).astype(np.int32)


def _absorption(transient_q: np.ndarray, transient_r: np.ndarray, keep: np.ndarray) -> float:
    """Probability of absorption in conversion from start (index 0) over the kept states."""
    q = transient_q[np.ix_(keep, keep)]
    h = np.linalg.solve(np.eye(q.shape[0]) - q, transient_r[keep])
    return float(h[0])
