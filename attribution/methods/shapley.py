"""Shapley-value attribution over channel coalitions (Zhao, Mahboobi & Bagheri, 2018).

The game: players are channels; the worth of a coalition S is v(S), the total converted
value of journeys whose set of distinct channels is a subset of S (the "counts"
formulation of Zhao et al. 2018, arXiv:1804.05327). Each journey j is then its own game
v_j(S) = value_j * [channels(j) subset of S], whose Shapley value splits value_j equally among
the journey's distinct channels, and by additivity the channel values have the closed form

    phi_c = sum over converted journeys j containing c of value_j / |channels(j)|.

`shapley_values` computes phi from the game itself: journeys are grouped by their channel-set
bitmask (so the cost does not grow with the number of journeys beyond one pass), v is
evaluated on all 2^n coalitions by a subset-sum (zeta) transform and the exact Shapley
formula is applied, for up to 16 channels that occur in converted journeys. Beyond that it
estimates phi by sampling permutations and reports a standard error. Channels that occur
only in non-converting journeys are null players and get 0 without being enumerated.

`shapley` gives per-touch credit as each journey's own Shapley value (the equal split), so
the per-touch credits of all journeys add up to `shapley_values(...).values` exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.special import comb

from stormops.attribution.methods._journeys import Journeys, split_by_channel_weights

__all__ = ["ShapleyResult", "shapley", "shapley_values"]

# Largest number of active channels for which all 2^n coalitions are enumerated.
MAX_EXACT_CHANNELS = 16
# Bound on the (permutations x channel sets x channels) block evaluated at once when sampling.
_SAMPLING_BLOCK = 1 << 22


@dataclass(frozen=True, eq=False)
class ShapleyResult:
    """Shapley values of the channels, with their sampling error.

    Attributes:
        values: float64, shape (n_channels,): Shapley value of each channel, in units of
            journey value; they sum to the total converted value.
        std_error: float64, shape (n_channels,): standard error of each sampled value;
            zeros when `exact`.
        exact: True when computed by enumerating coalitions, False when sampled.
        by_position: float64, shape (n_channels, max_journey_length), only when asked for
            the ordered variant (else None): the part of each channel's value earned at
            each 0-based touch position. Rows sum to the exact Shapley values.
    """

    values: np.ndarray
    std_error: np.ndarray
    exact: bool
    by_position: np.ndarray | None = None


def shapley_values(
    journeys: Journeys,
    *,
    method: Literal["auto", "exact", "sampled"] = "auto",
    ordered: bool = False,
    n_permutations: int = 2_000,
    rng: np.random.Generator | None = None,
) -> ShapleyResult:
    """Shapley value of every channel in the conversion game of the journeys.

    Shapley values are the unique credit split that is efficient (credits add up to the
    total), symmetric, additive and gives nothing to channels that never matter, which is
    why they are a defensible answer to "what did each channel contribute".

    The ordered variant (Zhao et al. 2018, section on the ordered Shapley value) reports
    where in the journeys each channel earned its value: a converted journey's value is
    split equally among its distinct channels, a channel's share equally among its touches
    in that journey, and each touch's part is booked at its 0-based position in the
    journey, giving phi_c^i with sum over i of phi_c^i = phi_c.

    Args:
        journeys: the journeys; only converted ones carry value, the others only make
            their channels null players.
        method: "exact" enumerates coalitions (at most 16 active channels), "sampled"
            averages marginal contributions over random channel orders, "auto" is exact
            when it can be.
        ordered: also return `by_position`, the position breakdown described above.
        n_permutations: channel orders sampled when sampling, >= 2.
        rng: random generator, required when sampling.

    Returns:
        A `ShapleyResult`.

    Raises:
        ValueError: for an unknown method, "exact" with more than 16 active channels,
            fewer than 2 permutations, or sampling without `rng`.

    Example:
        >>> journeys = Journeys.from_lists([[0, 1], [1], [2]], converted=[True, True, False])
        >>> shapley_values(journeys).values.tolist()
        [0.5, 1.5, 0.0]
    """
    if method not in ("auto", "exact", "sampled"):
        raise ValueError(f"method must be 'auto', 'exact' or 'sampled', got {method!r}")
    members, set_value = _channel_sets(journeys)
    active = np.flatnonzero(members.any(axis=0))
    if method == "exact" and active.size > MAX_EXACT_CHANNELS:
        raise ValueError(
            f"exact Shapley enumerates 2^n coalitions, so it allows at most "
            f"{MAX_EXACT_CHANNELS} active channels, got {active.size}"
        )
    exact = method == "exact" or (method == "auto" and active.size <= MAX_EXACT_CHANNELS)
    values = np.zeros(journeys.n_channels)
    std_error = np.zeros(journeys.n_channels)
    if exact:
        values[active] = _exact_shapley(members[:, active], set_value)
    else:
        if n_permutations < 2:
            raise ValueError(f"n_permutations must be >= 2, got {n_permutations}")
        if rng is None:
            raise ValueError("sampling Shapley values needs rng, a numpy Generator; got None")
        values[active], std_error[active] = _sampled_shapley(
            members[:, active], set_value, n_permutations, rng
        )
    by_position = _by_position(journeys) if ordered else None
    return ShapleyResult(values=values, std_error=std_error, exact=exact, by_position=by_position)


def shapley(journeys: Journeys) -> np.ndarray:
    """Credit each converted journey's value by its own Shapley value.

    In the counts game a journey's Shapley value splits its value equally among its distinct
    channels (a channel touched twice is one player, so its share is split over its two
    touches). By additivity these per-journey credits sum, channel by channel, to the
    Shapley values of the whole game, so the per-touch view and the channel report agree
    exactly; splitting by the global Shapley values instead would not.

    Args:
        journeys: the journeys to credit.

    Returns:
        float64, shape (n_touches,): credit per touch, in units of the journey's value.

    Example:
        >>> journeys = Journeys.from_lists([[0, 1, 1]], converted=[True], value=[90.0])
        >>> shapley(journeys).tolist()
        [45.0, 22.5, 22.5]
    """
    return split_by_channel_weights(journeys, np.ones(journeys.n_channels))


def _channel_sets(journeys: Journeys) -> tuple[np.ndarray, np.ndarray]:
    """Distinct channel sets of valued converted journeys: membership (sets x C) and value."""
    n_words = max(1, -(-journeys.n_channels // 64))
    word, bit = np.divmod(journeys.channel, 64)
    touch_bits = np.left_shift(np.uint64(1), bit.astype(np.uint64))
    masks = np.stack(
        [
            np.bitwise_or.reduceat(np.where(word == w, touch_bits, 0), journeys.offsets[:-1])
            for w in range(n_words)
        ],
        axis=1,
    )
    valued = journeys.payout != 0
    if n_words == 1:  # 1-D unique is much faster than unique rows
        unique_masks, inverse = np.unique(masks[valued, 0], return_inverse=True)
        unique_masks = unique_masks[:, None]
    else:
        unique_masks, inverse = np.unique(masks[valued], axis=0, return_inverse=True)
    set_value = np.bincount(inverse.ravel(), weights=journeys.payout[valued])
    channels = np.arange(journeys.n_channels)
    shifts = (channels % 64).astype(np.uint64)
    members = (unique_masks[:, channels // 64] >> shifts) & np.uint64(1)
    return members.astype(bool), set_value


def _exact_shapley(members: np.ndarray, set_value: np.ndarray) -> np.ndarray:
    """Exact Shapley values of the counts game over all 2^n coalitions of n players."""
    n = members.shape[1]
    if n == 0:
        return np.zeros(0)
    coalition = members.astype(np.int64) @ (np.int64(1) << np.arange(n, dtype=np.int64))
    worth = np.bincount(coalition, weights=set_value, minlength=1 << n)
    size = np.zeros(1, dtype=np.int64)
    for player in range(n):
        halves = worth.reshape(-1, 2, 1 << player)
        halves[:, 1, :] += halves[:, 0, :]  # zeta transform: v(S) = sum over T in S of w(T)
        size = np.concatenate((size, size + 1))
    # Weight of a coalition S without the player: |S|! (n - |S| - 1)! / n!.
    weight = 1.0 / (n * comb(n - 1, np.arange(n)))
    values = np.empty(n)
    for player in range(n):
        halves = worth.reshape(-1, 2, 1 << player)
        without = size.reshape(-1, 2, 1 << player)[:, 0, :]
        values[player] = np.sum(weight[without] * (halves[:, 1, :] - halves[:, 0, :]))
    return values


def _sampled_shapley(
    members: np.ndarray, set_value: np.ndarray, n_permutations: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Permutation-sampling estimate and standard error of the counts game's Shapley values."""
    n_sets, n = members.shape
    # In a random order a channel set is completed by its latest member, which gets its value.
    contributions = np.empty((n_permutations, n))
    block = max(1, _SAMPLING_BLOCK // max(n_sets * n, 1))
    for begin in range(0, n_permutations, block):
        rows = min(block, n_permutations - begin)
        ranks = rng.permuted(np.tile(np.arange(n), (rows, 1)), axis=1)
        completer = np.where(members, ranks[:, None, :], -1).argmax(axis=2)
        flat = completer + n * np.arange(rows)[:, None]
        contributions[begin : begin + rows] = np.bincount(
            flat.ravel(), weights=np.tile(set_value, rows), minlength=rows * n
        ).reshape(rows, n)
    std_error = contributions.std(axis=0, ddof=1) / np.sqrt(n_permutations)
    return contributions.mean(axis=0), std_error


def _by_position(journeys: Journeys) -> np.ndarray:
    """Ordered Shapley: each channel's per-journey Shapley credit booked by touch position."""
    max_length = int(journeys.lengths.max(initial=0))
    key = journeys.channel.astype(np.int64) * max_length + journeys.position
    booked = np.bincount(key, weights=shapley(journeys), minlength=journeys.n_channels * max_length)
    # bincount gives int64 for empty input.
    return booked.astype(np.float64, copy=False).reshape(journeys.n_channels, max_length)
