"""The roadmap's IncrementalityReporter: what a storm's experiments say StormOps caused.

A report reads every experiment run in the storm: `holdout` and `geo_split` give the overall
lift, `channel_holdout` the lift of each channel held back, `policy_test` the lift of each
play against the conservative one. Every figure carries its interval, confidence level and
sample sizes; the headline is the overall absolute lift in conversion-rate points.
"""

from __future__ import annotations

import html
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
        """Overall lift, lift by channel and by play, SRM status and the headline sentence."""
        readouts = [
            (exp, self.calculate_lift(exp["experiment_id"], storm_id))
            for exp in self.platform.store.storm_experiments(self.platform.tenant, storm_id)
        ]
        overall = [(e, r) for e, r in readouts if e["template"] in _OVERALL and r["lifts"]]
        by_channel = {e["channel"]: _headline_lift(r) for e, r in readouts
                      if e["template"] == "channel_holdout" and r["lifts"]}
        by_play = {variant: lift["difference"] for e, r in readouts
                   if e["template"] == "policy_test" for variant, lift in r["lifts"].items()}
        main = _headline_lift(overall[0][1]) if overall else None
        srm = {e["name"]: (r["srm"] or {}).get("flagged", False) for e, r in readouts}
        return {
            "storm_id": storm_id, "tenant": self.platform.tenant,
            "confidence": self.confidence,
            "overall": main, "by_channel": by_channel, "by_play": by_play,
            "by_tenant": {self.platform.tenant: main},
            "experiments": [{"experiment_id": e["experiment_id"], "name": e["name"],
                             "template": e["template"], "readout": r} for e, r in readouts],
            "srm_flagged": [name for name, flagged in srm.items() if flagged],
            "headline": _headline(main, self.confidence),
        }


def _headline_lift(readout: dict[str, Any]) -> dict[str, Any]:
    """The first treated arm's absolute lift (for a channel holdout: exposed over held out)."""
    return next(iter(readout["lifts"].values()))["difference"]


def _headline(lift: dict[str, Any] | None, confidence: float) -> str:
    if lift is None:
        return "No holdout or geo experiment in this storm: incrementality was not measured."
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
    """A self-contained page: headline, SRM status, and lift with interval per channel/play."""
    rows = [("Overall", report["overall"])] + \
        [(f"Channel: {c}", lift) for c, lift in sorted(report["by_channel"].items())] + \
        [(f"Play: {p} (vs conservative)", lift) for p, lift in sorted(report["by_play"].items())]
    rows = [(label, lift) for label, lift in rows if lift]
    srm = ("Sample-ratio check: no mismatch." if not report["srm_flagged"] else
           "Sample-ratio MISMATCH in: " + ", ".join(report["srm_flagged"])
           + " — treat their lifts with suspicion.")
    table = "".join(
        f"<tr><td>{html.escape(label)}</td><td>{lift['estimate'] * 100:+.2f}</td>"
        f"<td>{lift['low'] * 100:+.2f} to {lift['high'] * 100:+.2f}</td>"
        f"<td>{lift['n_treatment']:,} / {lift['n_control']:,}</td></tr>"
        for label, lift in rows)
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
<h1>Incrementality report — storm {html.escape(report['storm_id'])}</h1>
<p class="headline">{html.escape(report['headline'])}</p>
<p class="srm">{html.escape(srm)}</p>
{_chart(rows, report['confidence'])}
<table><tr><th>Lift (conversion-rate points)</th><th>Estimate</th>
<th>{report['confidence'] * 100:.0f}% interval</th><th>Treated / control units</th></tr>
{table}</table>
</body></html>
"""


def _chart(rows: list[tuple[str, dict]], confidence: float) -> str:
    """Inline SVG: one row per lift, a dot at the estimate and a bar across its interval."""
    if not rows:
        return "<p>No lift to chart.</p>"
    values = [v for _, lift in rows for v in (lift["low"], lift["high"], 0.0)
              if abs(v) != float("inf")]
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    width, left, row_h = 560, 180, 28

    def x(value: float) -> float:
        value = min(max(value, lo), hi)
        return left + (value - lo) / span * (width - left - 20)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{row_h * len(rows) + 30}" role="img" '
             f'aria-label="Lift and {confidence * 100:.0f}% interval per row">',
             f'<line x1="{x(0):.1f}" y1="0" x2="{x(0):.1f}" y2="{row_h * len(rows)}" '
             'stroke="#999" stroke-dasharray="4 3"/>']
    for i, (label, lift) in enumerate(rows):
        y = row_h * i + row_h / 2
        colour = "#070" if lift["low"] > 0 else ("#a00" if lift["high"] < 0 else "#555")
        parts += [
            f'<text x="0" y="{y + 4:.1f}" font-size="12">{html.escape(label)}</text>',
            f'<line x1="{x(lift["low"]):.1f}" y1="{y:.1f}" x2="{x(lift["high"]):.1f}" '
            f'y2="{y:.1f}" stroke="{colour}" stroke-width="3"/>',
            f'<circle cx="{x(lift["estimate"]):.1f}" cy="{y:.1f}" r="5" fill="{colour}"/>',
        ]
    parts.append(f'<text x="{x(0):.1f}" y="{row_h * len(rows) + 20}" font-size="11" '
                 'text-anchor="middle">0 pts</text></svg>')
    return "".join(parts)
