"""A channel holdout measured by the experiments platform, as a lift test for the mix model.

A holdout compares properties that got the channel with properties held out of it. Its
revenue-per-property difference d (exposed - held out, with its interval) says what the
channel added per property over the test; across all N properties of the test, over its
`weeks`, withholding the channel everywhere would have changed weekly revenue by
-d * N / weeks, at a weekly spend change of -x (the channel's weekly spend during the test):

    {channel, x, delta_x: -x, delta_y: -d * N / weeks, sigma: se(d) * N / weeks}

with se(d) read from the interval's half-width at its confidence level.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from statistics import NormalDist
from typing import Any

from stormops.core.errors import InvalidInput


def holdout_lift_test(report: Mapping[str, Any], channel: str, weekly_spend: float,
                      weeks: float) -> dict[str, Any]:
    """The lift test of a channel-holdout readout (`ExperimentsPlatform.measure_lift`).

    Args:
        report: the readout; its `lifts` hold one arm's `revenue_per_unit` difference.
        channel: the channel the experiment held back.
        weekly_spend: the channel's weekly spend during the test (x).
        weeks: how many weeks the test ran.

    Raises:
        InvalidInput: no revenue difference in the readout, an unbounded interval, or a
            non-positive spend or duration.
    """
    if not weekly_spend > 0:
        raise InvalidInput("weekly_spend: the channel had no spend during the test",
                           field="weekly_spend")
    if not weeks > 0:
        raise InvalidInput("weeks: expected a test duration > 0", field="weeks")
    if report.get("template") != "channel_holdout":
        raise InvalidInput("experiment_id: a lift test comes from a channel_holdout experiment",
                           field="experiment_id")
    lifts = report.get("lifts") or {}  # {"exposed": exposed - held_out}
    if not lifts:
        raise InvalidInput("experiment_id: no arm has units to compare yet",
                           field="experiment_id")
    difference = next(iter(lifts.values())).get("revenue_per_unit")
    if not difference or any(difference.get(k) is None or not math.isfinite(difference[k])
                             for k in ("estimate", "low", "high")):
        raise InvalidInput("experiment_id: the readout has no bounded revenue difference",
                           field="experiment_id")
    units = sum(arm["properties"] for arm in report["arms"].values())
    z = NormalDist().inv_cdf(0.5 + difference["confidence"] / 2)
    se = (difference["high"] - difference["low"]) / (2 * z)
    if not se > 0:
        raise InvalidInput("experiment_id: the readout's interval has no width",
                           field="experiment_id")
    per_week = units / weeks
    return {"channel": channel, "x": float(weekly_spend), "delta_x": -float(weekly_spend),
            "delta_y": -difference["estimate"] * per_week, "sigma": se * per_week}
