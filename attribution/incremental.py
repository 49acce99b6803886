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

The functions are pure (dicts and floats in, dicts out); `IncrementalAttribution` reads the
engine and the experiments of a tenant.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from stormops.core.errors import NotFound

__all__ = [
    "IncrementalAttribution",
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


class IncrementalAttribution:
    """The roadmap's IncrementalAttribution: a tenant's path credit next to experiment lift.

    Args:
        engine: the tenant's `attribution.engine.AttributionEngine` (fractional credit).
        platform: the tenant's `experiments.platform.ExperimentsPlatform` (measured lift).

    The overall lift comes from the storm's first `holdout` (or `geo_split`) experiment;
    channel calibration from its `channel_holdout` experiments.
    """

    def __init__(self, engine: Any, platform: Any) -> None:
        self.engine = engine
        self.platform = platform

    def _storm_lift(self, storm_id: str) -> dict[str, Any]:
        """Treated/control rates and counts of the storm's overall experiment, and each held-out
        channel's measured incremental conversions."""
        overall, measured = None, {}
        for exp in self.platform.store.storm_experiments(self.platform.tenant, storm_id):
            readout = self.platform.measure_lift(exp["experiment_id"], storm_id)
            if not readout["lifts"]:
                continue
            if exp["template"] in ("holdout", "geo_split") and overall is None:
                overall = readout
            elif exp["template"] == "channel_holdout":
                lift = next(iter(readout["lifts"].values()))["difference"]
                measured[exp["channel"]] = lift["estimate"] * lift["n_treatment"]
        if overall is None:
            raise NotFound(f"storm {storm_id} has no holdout or geo experiment with results",
                           field="storm_id")
        treated = next(v for v in overall["arms"] if v != overall["control"])
        return {"treated": overall["arms"][treated], "control": overall["arms"][overall["control"]],
                "experiment_id": overall["experiment_id"], "measured": measured}

    def calculate_incremental_credit(self, journey_id: str,
                                     method: str | None = None) -> dict[str, Any]:
        """One journey's fractional credit and its incremental credit by the roadmap formula.

        Raises:
            NotFound: unknown journey, or its storm has no overall experiment.
        """
        journey = self.engine.attribute_journey(journey_id, method)
        lift = self._storm_lift(journey["storm_id"])
        t, c = lift["treated"]["conversion_rate"], lift["control"]["conversion_rate"]
        return {**journey, "experiment_id": lift["experiment_id"],
                "treatment_rate": t, "control_rate": c,
                "lift_multiplier": lift_multiplier(t, c),
                "incremental_credits": roadmap_incremental_credit(journey["credits"], t, c)}

    def compare_fractional_vs_incremental(self, storm_id: str,
                                          method: str | None = None) -> dict[str, Any]:
        """Per channel: fractional credit and share, the roadmap's incremental credit, the
        calibrated share, and incremental conversions summing to the measured total."""
        chosen = method or self.engine.config.default_method
        run = self.engine.attribute_storm(storm_id, [chosen], persist=False)
        return self.incremental_from(storm_id, run["methods"][chosen]["channels"], chosen)

    def incremental_from(self, storm_id: str, fractional: Mapping[str, float],
                         method: str) -> dict[str, Any]:
        """`compare_fractional_vs_incremental` for fractional credit computed elsewhere (live
        attribution keeps its own): the storm's lift applied to it.

        Raises:
            NotFound: the storm has no overall experiment with results.
        """
        lift = self._storm_lift(storm_id)
        treated, control = lift["treated"], lift["control"]
        t, c = treated["conversion_rate"], control["conversion_rate"]
        shares = calibrated_shares(fractional, lift["measured"])
        conversions = incremental_conversions(shares, treated["conversions"],
                                              treated["properties"], c)
        roadmap = roadmap_incremental_credit(fractional, t, c)
        path_shares = _shares(fractional)
        return {
            "storm_id": storm_id, "method": method, "experiment_id": lift["experiment_id"],
            "treatment_rate": t, "control_rate": c, "lift_multiplier": lift_multiplier(t, c),
            "measured_incremental_conversions": treated["conversions"]
            - treated["properties"] * c,
            "calibrated_channels": sorted(lift["measured"]),
            "table": [{"channel": ch, "fractional_credit": fractional[ch],
                       "fractional_share": path_shares[ch], "roadmap_incremental_credit":
                       roadmap[ch], "calibrated_share": shares[ch],
                       "incremental_conversions": conversions[ch]} for ch in fractional],
        }
