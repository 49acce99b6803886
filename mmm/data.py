"""The model's weekly frame from the graph's rows: pure, so it is tested without a server.

One row per week (Monday), every week of the window present (a week without touches spent
nothing): `date`, one spend column per channel (touch cost), `storm_pressure` (the control),
`conversions` and `revenue` (the target).

Storm pressure is why the control is not a plain storm count: demand follows a storm for weeks,
fading, so each storm adds its SII in its week and `STORM_DECAY` times less every week after.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from stormops.core.errors import InvalidInput

STORM_DECAY = 0.6
MIN_WEEKS = 26
CONTROL = "storm_pressure"
TARGET = "revenue"


@dataclass(frozen=True)
class WeeklyData:
    """The weekly frame and what it holds."""

    frame: pd.DataFrame
    channels: list[str]

    @property
    def start(self) -> date:
        return self.frame["date"].iloc[0].date()

    @property
    def end(self) -> date:
        return self.frame["date"].iloc[-1].date()

    def spend_per_week(self) -> dict[str, float]:
        """Each channel's mean weekly spend over the window (the current split)."""
        return {c: float(self.frame[c].mean()) for c in self.channels}


def monday(day: date) -> date:
    """The Monday that starts `day`'s week."""
    return day - timedelta(days=day.weekday())


def storm_pressure(storm_weeks: Iterable[int], sii: Iterable[float], weeks: int,
                   decay: float = STORM_DECAY) -> np.ndarray:
    """Each storm's SII in its week (an index into the window; before it counts faded),
    fading by `decay` a week, summed per week."""
    pressure = np.zeros(weeks)
    steps = np.arange(weeks)
    for week, value in zip(storm_weeks, sii, strict=True):
        if week >= weeks:
            continue
        pressure += np.where(steps >= week, value * decay ** np.maximum(steps - week, 0), 0.0)
    return pressure


def weekly_frame(touchpoints: Iterable[Mapping[str, Any]], storms: Iterable[Mapping[str, Any]],
                 channels: Iterable[str] | None = None, min_weeks: int = MIN_WEEKS
                 ) -> WeeklyData:
    """The weekly frame from `graph.mmm.MixDataStore` rows.

    Args:
        touchpoints: {week (ISO Monday), kind: touch|conversion, channel, cost, events,
            revenue} rows.
        storms: {date (ISO), sii} rows; a storm before the window still adds its fading tail.
        channels: the channels to model (default: every channel with touch cost).
        min_weeks: fewest weeks a fit can learn from.

    Returns:
        The frame, weeks from the first to the last with any touchpoint.

    Raises:
        InvalidInput: fewer than `min_weeks` weeks (field `weeks`), no revenue (`revenue`),
            or a channel with no spend in the window (`channels`).
    """
    rows = list(touchpoints)
    if not rows:
        raise InvalidInput("weeks: the tenant has no touchpoints to model", field="weeks")
    weeks = sorted({date.fromisoformat(r["week"]) for r in rows})
    first, last = weeks[0], weeks[-1]
    count = (last - first).days // 7 + 1
    if count < min_weeks:
        raise InvalidInput(f"weeks: {count} weeks of data; the model needs at least "
                           f"{min_weeks}", field="weeks")
    index = {first + timedelta(weeks=i): i for i in range(count)}
    spend: dict[str, np.ndarray] = {}
    conversions, revenue = np.zeros(count), np.zeros(count)
    for row in rows:
        i = index[date.fromisoformat(row["week"])]
        if row["kind"] == "conversion":
            conversions[i] += row["events"]
            revenue[i] += row["revenue"]
        elif row["channel"]:
            spend.setdefault(row["channel"], np.zeros(count))[i] += row["cost"]
    wanted = sorted(spend) if channels is None else list(channels)
    if not wanted:
        raise InvalidInput("channels: no channel has touch cost to model", field="channels")
    idle = [c for c in wanted if c not in spend or not spend[c].any()]
    if idle:
        raise InvalidInput(f"channels: no spend on {', '.join(idle)} in the window; a channel "
                           "needs spend to be modelled (leave it out)", field="channels")
    if not revenue.any():
        raise InvalidInput("revenue: no conversion revenue in the window", field="revenue")
    storm_list = list(storms)
    storm_weeks = [(monday(date.fromisoformat(s["date"])) - first).days // 7 for s in storm_list]
    kept = [(w, float(s["sii"])) for w, s in zip(storm_weeks, storm_list, strict=True)
            if w < count]
    pressure = storm_pressure([w for w, _ in kept], [s for _, s in kept], count) \
        if kept else np.zeros(count)
    frame = pd.DataFrame({"date": pd.to_datetime([first + timedelta(weeks=i)
                                                  for i in range(count)])})
    for channel in wanted:
        frame[channel] = spend[channel]
    frame[CONTROL] = pressure
    frame["conversions"] = conversions
    frame[TARGET] = revenue
    return WeeklyData(frame, wanted)
