"""Weekly marketing data with a known truth, for the marketing-mix model.

Ground truth (what a fitted model should recover):

- **Weeks**: `weeks` Mondays from `start`; channels are `CHANNELS[:channels]`.
- **Storms**: about one every four weeks (more in spring and summer), each with an SII in
  [30, 95]; the first week always has one. *Storm pressure* in week t is
  sum over storms s dated in or before t of SII_s * STORM_DECAY ** (t - week_s): demand in
  this business follows hail and wind for weeks after the storm (`storm_pressure`).
- **Spend** of channel c in week t: `base_c * (1 + follow_c * pressure_t / mean pressure)`
  times lognormal noise (sigma 0.35): contractors spend after storms, so spend and demand move
  together and a model without the storm control credits the weather to the channels.
- **Response** of channel c: geometric adstock (decay `alpha_c`, `L_MAX` weeks, normalized to
  sum 1) of its spend, then logistic saturation `beta_c * (1 - e^-u) / (1 + e^-u)` with
  `u = lam_c * adstocked / scale_c` (`scale_c` is the channel's largest weekly spend), exactly
  the model family of PyMC-Marketing's GeometricAdstock + LogisticSaturation.
- **Revenue** in week t: `BASELINE` + `storm_effect * pressure_t` + a yearly seasonal term +
  the channels' responses + N(0, `noise` * BASELINE).
- **True ROI** of a channel: its total response over the window divided by its total spend.
- **Lift tests**: for `lift_channels`, a holdout at the channel's median weekly spend x
  (delta_x = -x): delta_y is the true change of the saturation curve plus N(0, sigma), sigma
  a tenth of it — what a channel holdout measures.

`to_events` turns the weeks into the events a contractor platform receives (touches carrying
cost, conversions carrying revenue, each in the latest storm), so the sample is loaded through
the project's own event path and read back from the graph.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from stormops.mmm.data import storm_pressure

CHANNELS: tuple[str, ...] = ("door_knock", "call_center", "paid_search", "direct_mail",
                             "social", "referral", "sms", "email")
L_MAX = 8
BASELINE = 150_000.0
REVENUE_PER_CONVERSION = 12_000.0
# channel: (weekly base spend, spend follows storms, adstock alpha, lam, beta as a share of
# BASELINE): ROIs from about 0.5 to 6.
_TRUTH: dict[str, tuple[float, float, float, float, float]] = {
    "door_knock": (20_000, 0.8, 0.50, 2.0, 0.45),
    "call_center": (12_000, 0.5, 0.30, 1.5, 0.20),
    "paid_search": (15_000, 0.6, 0.10, 3.0, 0.25),
    "direct_mail": (8_000, 0.3, 0.60, 1.2, 0.10),
    "social": (6_000, 0.4, 0.20, 2.5, 0.05),
    "referral": (5_000, 0.2, 0.40, 1.0, 0.12),
    "sms": (1_500, 0.5, 0.10, 2.0, 0.02),
    "email": (800, 0.3, 0.20, 1.5, 0.01),
}


@dataclass(frozen=True)
class ChannelTruth:
    """A channel's true carry-over, saturation and what it returned."""

    alpha: float
    lam: float
    beta: float
    scale: float
    roi: float
    spend: float
    contribution: float

    def curve(self, x: np.ndarray | float) -> np.ndarray:
        """Weekly response to a steady weekly spend x (adstock of a constant is the constant)."""
        u = self.lam * np.asarray(x, dtype=float) / self.scale
        return self.beta * (1 - np.exp(-u)) / (1 + np.exp(-u))


@dataclass
class MMMSample:
    """Weekly frame columns, the truth per channel, lift tests and the storms."""

    weeks: list[date]
    spend: dict[str, np.ndarray]
    revenue: np.ndarray
    storm_pressure: np.ndarray
    storms: list[dict[str, Any]]
    truth: dict[str, ChannelTruth]
    lift_tests: list[dict[str, float | str]] = field(default_factory=list)

    @property
    def channels(self) -> list[str]:
        return list(self.spend)


def adstock(x: np.ndarray, alpha: float, l_max: int = L_MAX) -> np.ndarray:
    """Geometric adstock with weights alpha**l, l < l_max, normalized to sum 1."""
    weights = alpha ** np.arange(l_max)
    weights /= weights.sum()
    return np.convolve(x, weights)[: len(x)]


def generate_mmm(weeks: int = 104, channels: int = 8, seed: int = 0,
                 start: date = date(2024, 1, 1), noise: float = 0.04,
                 storm_effect: float = 1_500.0,
                 lift_channels: int = 3) -> MMMSample:
    """A known-truth sample; see the module doc. Deterministic for its arguments."""
    if not 1 <= channels <= len(CHANNELS):
        raise ValueError(f"channels: 1-{len(CHANNELS)}")
    rng = np.random.default_rng(seed)
    monday = start - timedelta(days=start.weekday())
    days = [monday + timedelta(weeks=t) for t in range(weeks)]
    summer = np.array([math.sin(math.pi * (d.timetuple().tm_yday - 60) / 365) for d in days])
    storm_rate = np.clip(0.12 + 0.25 * summer, 0.05, None)
    storm_weeks = [0] + [t for t in range(1, weeks) if rng.random() < storm_rate[t]]
    sii = [round(float(rng.uniform(30, 95)), 1) for _ in storm_weeks]
    pressure = storm_pressure(storm_weeks, sii, weeks)
    relative = pressure / pressure.mean()

    spend: dict[str, np.ndarray] = {}
    truth: dict[str, ChannelTruth] = {}
    revenue = BASELINE + storm_effect * pressure
    revenue += 0.08 * BASELINE * np.sin(2 * np.pi * np.arange(weeks) / 52.18)
    for name in CHANNELS[:channels]:
        base, follow, alpha, lam, share = _TRUTH[name]
        x = base * (1 + follow * relative) * rng.lognormal(0, 0.35, weeks)
        x = np.round(x, 2)
        scale = float(x.max())
        u = lam * adstock(x, alpha) / scale
        response = share * BASELINE * (1 - np.exp(-u)) / (1 + np.exp(-u))
        revenue = revenue + response
        spend[name] = x
        truth[name] = ChannelTruth(alpha, lam, share * BASELINE, scale,
                                   float(response.sum() / x.sum()), float(x.sum()),
                                   float(response.sum()))
    revenue = np.round(revenue + rng.normal(0, noise * BASELINE, weeks), 2)
    storms = [{"storm_id": f"S{days[w].isoformat()}-{i:02d}", "name": f"Storm {i + 1}",
               "date": days[w].isoformat(), "sii": s, "week": w}
              for i, (w, s) in enumerate(zip(storm_weeks, sii, strict=True))]
    lifts = []
    for name in CHANNELS[:min(lift_channels, channels)]:
        x = float(np.median(spend[name]))
        true_dy = float(truth[name].curve(0.0) - truth[name].curve(x))
        sigma = abs(true_dy) / 10
        lifts.append({"channel": name, "x": x, "delta_x": -x,
                      "delta_y": true_dy + float(rng.normal(0, sigma)), "sigma": sigma})
    return MMMSample(days, spend, revenue, pressure, storms, truth, lifts)


def true_revenue(sample: MMMSample, weekly: dict[str, float]) -> float:
    """Expected weekly channel revenue of a steady weekly allocation under the true model."""
    return float(sum(sample.truth[c].curve(weekly.get(c, 0.0)) for c in sample.truth))


def to_events(sample: MMMSample, touches_per_week: int = 2,
              revenue_per_conversion: float = REVENUE_PER_CONVERSION) -> list[dict[str, Any]]:
    """Touch and conversion events (nested, as `JourneyGraph.load_events` takes them).

    Each channel-week's spend is split over `touches_per_week` touches; each week's revenue
    over round(revenue / revenue_per_conversion) conversions (at least one), so the weekly
    sums read back from the graph equal the sample's. Every event is a new person (its own
    email) in the latest storm, on the week's Wednesday.
    """
    storm_of_week = []
    current = None
    by_week = {s["week"]: s["storm_id"] for s in sample.storms}
    for t in range(len(sample.weeks)):
        current = by_week.get(t, current)
        storm_of_week.append(current)
    events: list[dict[str, Any]] = []

    def add(t: int, kind: str, **fields: Any) -> None:
        number = len(events) + 1
        day = sample.weeks[t] + timedelta(days=2)
        events.append({"event_id": f"M{number:08d}", "kind": kind,
                       "storm_id": storm_of_week[t], "ts": f"{day.isoformat()}T12:00:00",
                       "identifiers": {"email": f"mmm-{number}@example.com"}, **fields})

    for t in range(len(sample.weeks)):
        for channel, x in sample.spend.items():
            cents = _split(int(round(x[t] * 100)), touches_per_week)
            for part in cents:
                add(t, "touch", channel=channel, cost=part / 100)
        count = max(1, round(sample.revenue[t] / revenue_per_conversion))
        for part in _split(int(round(sample.revenue[t] * 100)), count):
            add(t, "conversion", revenue=part / 100)
    return events


def _split(cents: int, parts: int) -> list[int]:
    """`cents` in `parts` near-equal whole cents that add up exactly."""
    share, rest = divmod(cents, parts)
    return [share + (1 if i < rest else 0) for i in range(parts)]


def weekly_rows(sample: MMMSample) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The sample as the graph returns it (`graph.mmm.MixDataStore`): weekly touchpoint rows
    and dated storms, without loading it."""
    rows: list[dict[str, Any]] = []
    for t, week in enumerate(sample.weeks):
        for channel, x in sample.spend.items():
            rows.append({"week": week.isoformat(), "kind": "touch", "channel": channel,
                         "cost": float(x[t]), "events": 1, "revenue": 0.0})
        rows.append({"week": week.isoformat(), "kind": "conversion", "channel": "",
                     "cost": 0.0, "events": 1, "revenue": float(sample.revenue[t])})
    storms = [{"storm_id": s["storm_id"], "date": s["date"], "sii": s["sii"]}
              for s in sample.storms]
    return rows, storms
