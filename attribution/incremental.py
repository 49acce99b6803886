"""Incremental attribution: path credit rescaled to what experiments say was caused.

Path methods (last-touch, linear, Markov, Shapley) split the conversions that happened; they
cannot tell which of them would have happened anyway. Experiments measure that. Two ways to
combine them, both here:

- the roadmap's formula, exactly: incremental credit = fractional credit x lift multiplier,
  with lift multiplier = (treatment rate - control rate) / control rate. Summed over a
  storm's treated conversions X_t it gives X_t (t - c) / c, which is the measured incremental
  conversions n_t (t - c) times t / c: it reads "credit per unit of baseline", not counts;
- incremental conversions per channel, which sum to the measured incremental conversions
  (treated conversions - treated units x control rate): the measured total is shared out by
  channel shares — the path method's shares, or, where `channel_holdout` experiments measured
  a channel's own effect, shares calibrated to those measurements.

The functions are pure (dicts and floats in, dicts out).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

__all__ = [
    "calibrated_shares",
    "incremental_conversions",
    "lift_multiplier",
    "roadmap_incremental_credit",
]


def lift_multiplier(treatment_rate: float, control_rate: float) -> float:
    """(treatment rate - control rate) / control rate; inf or nan when the control is 0."""
    if control_rate == 0:
        return math.nan if treatment_rate == 0 else math.inf
    return (treatment_rate - control_rate) / control_rate


def roadmap_incremental_credit(fractional: Mapping[str, float], treatment_rate: float,
                               control_rate: float) -> dict[str, float]:
    """Fractional credit x lift multiplier, per channel (the roadmap's formula).

    Example:
        >>> roadmap_incremental_credit({"sms": 0.25, "door_knock": 0.75}, 0.5, 0.25)
        {'sms': 0.25, 'door_knock': 0.75}
    """
    multiplier = lift_multiplier(treatment_rate, control_rate)
    return {channel: credit * multiplier for channel, credit in fractional.items()}


def _shares(credit: Mapping[str, float]) -> dict[str, float]:
    total = sum(credit.values())
    return {c: (v / total if total else 0.0) for c, v in credit.items()}


def calibrated_shares(fractional: Mapping[str, float],
                      measured: Mapping[str, float]) -> dict[str, float]:
    """Channel shares of incremental conversions, calibrated to channel holdouts.

    Args:
        fractional: path credit per channel (any scale).
        measured: incremental conversions per channel measured by its holdout (the channel's
            exposed-minus-held-out rate times its exposed units); channels without a holdout
            are absent.

    Returns:
        Shares summing to 1: measured channels by their measurements (negative measurements
        count as 0), the rest by their path shares scaled into what is left, in proportion
        to their path credit relative to the measured channels' path credit.
    """
    measured = {c: max(v, 0.0) for c, v in measured.items()}
    path = _shares(fractional)
    unmeasured = {c: s for c, s in path.items() if c not in measured}
    if not measured or sum(measured.values()) == 0:
        return path
    path_measured = sum(path.get(c, 0.0) for c in measured)
    # Unmeasured channels get incremental conversions at the rate path credit implies for
    # the measured ones: measured total per unit of their path share.
    per_share = sum(measured.values()) / path_measured if path_measured else 0.0
    estimated = {**measured, **{c: s * per_share for c, s in unmeasured.items()}}
    return _shares(estimated)


def incremental_conversions(shares: Mapping[str, float], treated_conversions: float,
                            treated_units: float, control_rate: float) -> dict[str, float]:
    """The measured incremental conversions, treated conversions - treated units x control
    rate, shared out by channel; the values sum to that total."""
    total = treated_conversions - treated_units * control_rate
    return {channel: share * total for channel, share in shares.items()}
