"""The Fellegi-Sunter sum: comparison levels -> match weights, as Splink computes them.

Pure numpy, no I/O. A pair's match weight is the prior's weight plus, per comparison, the
weight of the level it fell in, plus a term-frequency adjustment on levels that have one:
    tf_weight * (log2(u_exact) - log2(max(tf_l, tf_r, tf_minimum_u)))
where a missing term frequency falls back to the other side's, and no adjustment is made when
both are missing (Splink's `coalesce`/`greatest` formulation).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TfLevel:
    """A comparison level with a term-frequency adjustment.

    Attributes:
        comparison: index of the comparison (column of the gamma matrix).
        gamma: the level's comparison vector value.
        column: input column whose value frequencies adjust it.
        weight: Splink's tf_adjustment_weight (1.0 = full adjustment).
        log2_u_exact: log2 of the u probability of the comparison's exact-match level.
        min_u: Splink's tf_minimum_u_value.
    """

    comparison: int
    gamma: int
    column: str
    weight: float
    log2_u_exact: float
    min_u: float


def combine(
    gamma: np.ndarray,
    level_weights: np.ndarray,
    prior_weight: float,
    tf_levels: tuple[TfLevel, ...],
    tf_left: Mapping[str, np.ndarray],
    tf_right: Mapping[str, np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """Match weight and per-comparison contributions of scored pairs.

    Args:
        gamma: shape (n, k), int; comparison level per pair and comparison, -1 for missing.
        level_weights: shape (k, L + 1); weight (bits) of level g of comparison c at [c, g + 1]
            (so column 0 is the missing level, weight 0).
        prior_weight: log2 odds of the prior probability two random records match.
        tf_levels: levels with term-frequency adjustments.
        tf_left: per TF column, shape (n,) float, the left record's term frequency, NaN if none.
        tf_right: the same for the right record.

    Returns:
        (match_weight of shape (n,), contribution of shape (n, k)), in bits.

    Example:
        >>> gamma = np.array([[1, -1]])
        >>> weights = np.array([[0.0, -3.0, 5.0], [0.0, -2.0, 4.0]])
        >>> combine(gamma, weights, -10.0, (), {}, {})[0]
        array([-5.])
    """
    columns = np.arange(gamma.shape[1])
    contribution = level_weights[columns, gamma + 1]
    for level in tf_levels:
        left, right = tf_left[level.column], tf_right[level.column]
        left_or_right = np.where(np.isnan(left), right, left)
        right_or_left = np.where(np.isnan(right), left, right)
        frequency = np.fmax(np.fmax(left_or_right, right_or_left), level.min_u)
        applies = (gamma[:, level.comparison] == level.gamma) & ~np.isnan(left_or_right)
        with np.errstate(divide="ignore", invalid="ignore"):
            adjustment = level.weight * (level.log2_u_exact - np.log2(frequency))
        contribution[:, level.comparison] += np.where(applies, adjustment, 0.0)
    return prior_weight + contribution.sum(axis=1), contribution


def probability(match_weight: np.ndarray) -> np.ndarray:
    """Match probability 2^w / (1 + 2^w); very negative weights give 0 rather than an error.

    Args:
        match_weight: match weights in bits, any shape.

    Returns:
        Probabilities in [0, 1], same shape.

    Example:
        >>> probability(np.array([0.0, 1.0]))
        array([0.5       , 0.66666667])
    """
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp2(-np.asarray(match_weight, dtype=float)))
