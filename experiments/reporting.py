"""The roadmap's IncrementalityReporter: what a storm's experiments say StormOps caused.

A report reads every experiment run in the storm: `holdout` and `geo_split` give the overall
lift, `channel_holdout` the lift of each channel held back, `policy_test` the lift of each
play against the conservative one. Every figure carries its interval, confidence level and
sample sizes; the headline is the overall absolute lift in conversion-rate points.
"""

from __future__ import annotations

import html
import math
from typing import Any

from stormops.experiments.platform import ExperimentsPlatform
from stormops.experiments.stats import rate_difference

_OVERALL = ("holdout", "geo_split")


class IncrementalityReporter:
    """Incrementality of one tenant's storms, from its experiments.

    Args:
        platform: the tenant's `ExperimentsPlatform`.
        confidence: the interval level of every figure (default 0.95).
    """

    def __init__(self, platform: ExperimentsPlatform, confidence: float = 0.95) -> None:
        self.platform = platform
        self.confidence = confidence

    def calculate_lift(self, experiment_id: str, storm_id: str | None = None) -> dict[str, Any]:
        """One experiment's readout (`ExperimentsPlatform.measure_lift`)."""
        return self.platform.measure_lift(experiment_id, storm_id, self.confidence)

    def get_confidence_interval(self, lift: float, n_treat: int, n_control: int,
                                control_rate: float) -> tuple[float, float]:
        """Newcombe interval of an absolute lift observed at `control_rate` with these sizes.

        The roadmap's signature gives the lift and the sample sizes; the control rate is
        needed too, since the width depends on the base rate.
        """
        x_c = round(control_rate * n_control)
        x_t = round(min(max(control_rate + lift, 0.0), 1.0) * n_treat)
        estimate = rate_difference(x_t, n_treat, x_c, n_control, confidence=self.confidence)
        return estimate.low, estimate.high

    def generate_report(self, storm_id: str) -> dict[str, Any]:
        """Overall lift, lift by channel and by play, SRM status and the headline sentence.

        Lift by play comes from the storm's `policy_test` when it has one; otherwise from
        the overall experiment, compared within the properties where each play ran
        (`by_play_source` says which).

        Raises:
            NotFound: the storm is not in the tenant's graph.
        """
        storm = self.platform.storms.get(self.platform.tenant, storm_id)
        readouts = [
            (exp, self.calculate_lift(exp["experiment_id"], storm_id))
            for exp in self.platform.store.storm_experiments(self.platform.tenant, storm_id)
        ]
        overall = [(e, r) for e, r in readouts if e["template"] in _OVERALL and r["lifts"]]
        by_channel = {e["channel"]: _headline_lift(r) for e, r in readouts
                      if e["template"] == "channel_holdout" and r["lifts"]}
        by_play = {variant: lift["difference"] for e, r in readouts
                   if e["template"] == "policy_test" for variant, lift in r["lifts"].items()}
        play_source = "policy_test" if by_play else None
        if not by_play and overall:
            by_play = next(iter(overall[0][1]["by_play"].values()), {})
            play_source = overall[0][0]["template"] if by_play else None
        main = _headline_lift(overall[0][1]) if overall else None
        return {
            "storm_id": storm_id, "storm": storm, "tenant": self.platform.tenant,
            "confidence": self.confidence,
            "overall": main,
            "overall_experiment": overall[0][0]["name"] if overall else None,
            "by_channel": by_channel, "by_play": by_play, "by_play_source": play_source,
            "by_tenant": {self.platform.tenant: main},
            "experiments": [{"experiment_id": e["experiment_id"], "name": e["name"],
                             "template": e["template"], "channel": e.get("channel"),
                             "readout": r} for e, r in readouts],
            "srm": [{"experiment": e["name"], "flagged": r["srm"]["flagged"],
                     "p_value": r["srm"]["p_value"]} for e, r in readouts if r["srm"]],
            "srm_flagged": [e["name"] for e, r in readouts if (r["srm"] or {}).get("flagged")],
            "headline": _headline(main, self.confidence, bool(readouts)),
        }


def _headline_lift(readout: dict[str, Any]) -> dict[str, Any]:
    """The first treated arm's absolute lift (for a channel holdout: exposed over held out)."""
    return next(iter(readout["lifts"].values()))["difference"]


def _headline(lift: dict[str, Any] | None, confidence: float, any_experiment: bool) -> str:
    if lift is None and not any_experiment:
        return ("No experiment ran in this storm: incrementality was not measured. Run a "
                "holdout or geo split over it to measure it.")
    if lift is None:
        return ("No holdout or geo experiment with assigned units in this storm: overall "
                "incrementality was not measured.")
    if not all(math.isfinite(v) for v in (lift["low"], lift["high"])):
        return (f"StormOps changed conversions by {lift['estimate'] * 100:+.1f} pts, but its "
                "interval is unbounded (a geo split needs two zips or more in each arm): no "
                "confidence can be stated.")
    pts = lift["estimate"] * 100
    low, high = lift["low"] * 100, lift["high"] * 100
    level = f"{confidence * 100:.0f}%"
    if low > 0:
        return (f"StormOps improved conversions by {pts:+.1f} pts with {level} confidence "
                f"(interval {low:+.1f} to {high:+.1f} pts).")
    if high < 0:
        return (f"StormOps lowered conversions by {-pts:.1f} pts with {level} confidence "
                f"(interval {low:+.1f} to {high:+.1f} pts).")
    return (f"StormOps changed conversions by {pts:+.1f} pts; the {level} interval "
            f"({low:+.1f} to {high:+.1f} pts) includes no effect.")


def render_html(report: dict[str, Any]) -> str:
    """A self-contained page: headline, SRM status per experiment, and a chart and table of
    lift with its interval overall, per channel and per play."""
    rows = _rows(report)
    level = f"{report['confidence'] * 100:.0f}%"
    if not report["experiments"]:
        srm = "No experiment ran in this storm, so there is no sample-ratio check."
    elif not report["srm"]:
        srm = "No unit is assigned yet, so there is no sample-ratio check."
    else:
        srm = " ".join(
            f"Sample-ratio check of {item['experiment']}: "
            + ("MISMATCH, treat its lifts with suspicion" if item["flagged"] else "no mismatch")
            + f" (p = {item['p_value']:.3f})." for item in report["srm"])
    table = "".join(
        f"<tr><td>{html.escape(label)}</td><td>{_pts(lift['estimate'])}</td>"
        f"<td>{_pts(lift['low'])} to {_pts(lift['high'])}</td>"
        f"<td>{lift['n_treatment']:,} / {lift['n_control']:,}</td></tr>"
        for label, lift in rows)
    storm = report.get("storm") or {}
    title = storm.get("name") or report["storm_id"]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Incrementality — storm {html.escape(report['storm_id'])}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem;color:#222}}
h1{{font-size:1.4rem}} .headline{{font-size:1.2rem;font-weight:600;margin:1rem 0}}
table{{border-collapse:collapse;margin-top:1rem}} td,th{{padding:.3rem .8rem;
border-bottom:1px solid #ddd;text-align:right}} td:first-child,th:first-child{{text-align:left}}
.srm{{color:{'#a00' if report['srm_flagged'] else '#070'}}}
</style></head><body>
<h1>Incrementality report — {html.escape(str(title))} ({html.escape(report['storm_id'])})</h1>
<p class="headline">{html.escape(report['headline'])}</p>
<p class="srm">{html.escape(srm)}</p>
{_chart(rows, report['confidence'])}
<table><tr><th>Lift (conversion-rate points)</th><th>Estimate</th>
<th>{level} interval</th><th>Treated / control units</th></tr>
{table}</table>
</body></html>
"""


def _rows(report: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(label, lift) of the overall lift, each channel held out and each play."""
    within = ("" if report.get("by_play_source") in (None, "policy_test")
              else " (within the overall experiment)")
    against = " vs conservative" if report.get("by_play_source") == "policy_test" else within
    rows = [("Overall", report["overall"])] + \
        [(f"Channel: {c}", lift) for c, lift in sorted(report["by_channel"].items())] + \
        [(f"Play: {p}{against}", lift) for p, lift in sorted(report["by_play"].items())]
    return [(label, lift) for label, lift in rows if lift]


def _pts(value: float) -> str:
    return f"{value * 100:+.2f}" if math.isfinite(value) else "unbounded"


def _ticks(lo: float, hi: float, count: int = 6) -> list[float]:
    """Round tick values (in points) spanning [lo, hi]."""
    raw = (hi - lo) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(lo / step) * step
    return [round(first + k * step, 10) for k in range(int((hi - first) / step + 1e-9) + 1)]


def _chart(rows: list[tuple[str, dict]], confidence: float) -> str:
    """Inline SVG: a row per lift, a dot at the estimate and a bar across its interval, on a
    labelled axis of conversion-rate points with tick values."""
    if not rows:
        return "<p>No lift to chart: no experiment in this storm has assigned units.</p>"
    values = [v * 100 for _, lift in rows for v in (lift["low"], lift["high"], 0.0)
              if math.isfinite(v)]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.05 or 1.0
    lo, hi = lo - pad, hi + pad
    width, left, right, row_h, top = 640, 260, 20, 28, 10
    plot_h = row_h * len(rows)

    def x(points: float) -> float:
        points = min(max(points, lo), hi)
        return left + (points - lo) / (hi - lo) * (width - left - right)

    level = f"{confidence * 100:.0f}%"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{top + plot_h + 50}" role="img" font-family="system-ui,sans-serif" '
             f'aria-label="Lift in conversion-rate points with its {level} interval, per row">',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
             'stroke="#333"/>']
    for tick in _ticks(lo, hi):
        parts += [f'<line x1="{x(tick):.1f}" y1="{top}" x2="{x(tick):.1f}" '
                  f'y2="{top + plot_h + 4}" stroke="{"#999" if tick else "#333"}" '
                  f'stroke-dasharray="{"2 3" if tick else "4 3"}"/>',
                  f'<text x="{x(tick):.1f}" y="{top + plot_h + 17}" font-size="11" '
                  f'text-anchor="middle">{tick:+g}</text>']
    parts.append(f'<text x="{(left + width - right) / 2:.1f}" y="{top + plot_h + 40}" '
                 f'font-size="12" text-anchor="middle">Lift, conversion-rate points '
                 f'(dot: estimate; bar: {level} interval)</text>')
    for i, (label, lift) in enumerate(rows):
        y = top + row_h * i + row_h / 2
        colour = "#070" if lift["low"] > 0 else ("#a00" if lift["high"] < 0 else "#555")
        low = lift["low"] * 100 if math.isfinite(lift["low"]) else lo
        high = lift["high"] * 100 if math.isfinite(lift["high"]) else hi
        parts += [
            f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="12" text-anchor="end">'
            f'{html.escape(label)}</text>',
            f'<line x1="{x(low):.1f}" y1="{y:.1f}" x2="{x(high):.1f}" '
            f'y2="{y:.1f}" stroke="{colour}" stroke-width="3"/>',
            f'<circle cx="{x(lift["estimate"] * 100):.1f}" cy="{y:.1f}" r="5" '
            f'fill="{colour}"><title>{html.escape(label)}: {_pts(lift["estimate"])} pts'
            f'</title></circle>',
        ]
    parts.append("</svg>")
    return "".join(parts)
