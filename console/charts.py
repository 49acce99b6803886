"""Chart helpers for the console's pages, on Altair (Streamlit bundles Vega: no CDN).

Each helper takes plain rows (lists of dicts, as the API answers) and returns a chart for
`st.altair_chart`, with titled axes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

# Altair validates a chart by importing pandas lazily; Streamlit stops a page's script run when
# a rerun arrives, and a stop that lands inside that first import leaves a half-imported pandas
# behind ("partially initialized module 'pandas'") for every later chart of the process. Every
# page imports this module when the app starts, so pandas is whole before any chart is drawn.
import pandas  # noqa: F401

_GAIN, _LOSS, _TOTAL = "#2e7d32", "#c62828", "#455a64"


def bars(rows: Sequence[dict[str, Any]], *, x: str, y: str, color: str | None = None,
         x_title: str | None = None, y_title: str | None = None,
         horizontal: bool = False) -> alt.Chart:
    """A bar chart of `rows`: category `x`, value `y`, grouped by `color` when given.

    Args:
        rows: one dict per bar.
        x: the category field.
        y: the numeric field.
        color: a field splitting bars into groups side by side.
        x_title: the category axis title (defaults to the field name).
        y_title: the value axis title.
        horizontal: categories on the vertical axis (long names).
    """
    cat = alt.X(f"{x}:N", title=x_title or x, sort=None)
    val = alt.Y(f"{y}:Q", title=y_title or y)
    if horizontal:
        cat = alt.Y(f"{x}:N", title=x_title or x, sort=None)
        val = alt.X(f"{y}:Q", title=y_title or y)
    encoding: dict[str, Any] = {"tooltip": [f"{x}:N", f"{y}:Q"]
                                + ([f"{color}:N"] if color else [])}
    if color:
        encoding["color"] = alt.Color(f"{color}:N", title=color)
        encoding["yOffset" if horizontal else "xOffset"] = f"{color}:N"
    return alt.Chart(alt.Data(values=list(rows))).mark_bar().encode(
        cat, val, **encoding)


def intervals(rows: Sequence[dict[str, Any]], *, label: str = "label",
              x_title: str = "lift, conversion-rate points") -> alt.Chart:
    """Estimates with their confidence intervals, one row each: a dot at `estimate` and a
    bar from `low` to `high` (already in the unit of `x_title`), a rule at zero; green where
    the whole interval is above zero, red below, grey across it.

    Args:
        rows: dicts with `label` (or the field named by `label`), `estimate`, `low`, `high`;
            an unbounded end is None (drawn to the edge of the other rows).
        label: the row's name field.
        x_title: the value axis title.
    """
    finite = [v for r in rows for v in (r["low"], r["high"], r["estimate"]) if v is not None]
    edge_lo, edge_hi = min([0.0, *finite]), max([0.0, *finite])
    data = [{**r, "lo": edge_lo if r["low"] is None else r["low"],
             "hi": edge_hi if r["high"] is None else r["high"],
             "verdict": ("above zero" if r["low"] is not None and r["low"] > 0 else
                         "below zero" if r["high"] is not None and r["high"] < 0 else
                         "includes zero")} for r in rows]
    colour = alt.Color("verdict:N", title="interval", scale=alt.Scale(
        domain=["above zero", "includes zero", "below zero"], range=[_GAIN, "#757575", _LOSS]))
    y = alt.Y(f"{label}:N", sort=None, title=None)
    base = alt.Chart(alt.Data(values=data))
    tips = [alt.Tooltip(f"{label}:N", title="row"),
            alt.Tooltip("estimate:Q", format="+.2f"), alt.Tooltip("low:Q", format="+.2f"),
            alt.Tooltip("high:Q", format="+.2f")]
    bars_ = base.mark_rule(strokeWidth=3).encode(
        y, alt.X("lo:Q", title=x_title), alt.X2("hi:Q"), colour, tooltip=tips)
    dots = base.mark_point(filled=True, size=90).encode(y, alt.X("estimate:Q"), colour,
                                                         tooltip=tips)
    zero = alt.Chart(alt.Data(values=[{"zero": 0.0}])).mark_rule(
        strokeDash=[4, 3], color="#333").encode(x="zero:Q")
    return (zero + bars_ + dots).properties(height=max(120, 40 * len(rows)))


def timeline(events: Sequence[dict[str, Any]], *, lane: str = "storm",
             title: str | None = None) -> alt.Chart:
    """Events on a time axis, one lane per `lane` value (a storm), coloured by channel; a
    conversion is a diamond, a touch a circle.

    Args:
        events: dicts with `ts` (ISO time), the `lane` field, `channel`, `kind`, and
            optionally `revenue`.
        lane: the field that names each lane.
        title: the chart title.
    """
    data = [{**e, "channel": e.get("channel") or "conversion"} for e in events]
    return alt.Chart(alt.Data(values=data), title=title or alt.Undefined).mark_point(
        filled=True, size=120).encode(
        alt.X("ts:T", title="time"), alt.Y(f"{lane}:N", title=None),
        alt.Color("channel:N", title="channel"),
        alt.Shape("kind:N", title="event", scale=alt.Scale(
            domain=["touch", "conversion"], range=["circle", "diamond"])),
        tooltip=[alt.Tooltip("ts:T", format="%Y-%m-%d %H:%M"), "kind:N", "channel:N",
                 alt.Tooltip("revenue:Q", format=",.2f")],
    ).properties(height=max(90, 50 * len({e[lane] for e in events})))


def network(nodes: Sequence[dict[str, Any]], edges: Sequence[dict[str, Any]], *,
            height: int = 380) -> alt.Chart:
    """A small graph: nodes at given positions, coloured by kind and labelled; edges as
    lines whose opacity is their strength.

    Args:
        nodes: dicts with `id`, `x`, `y`, `kind` and `label`.
        edges: dicts with `source`, `target` (node ids), `relation` and `strength` (0-1).
        height: the chart height in pixels.
    """
    at = {n["id"]: n for n in nodes}
    lines = [{"x": at[e["source"]]["x"], "y": at[e["source"]]["y"],
              "x2": at[e["target"]]["x"], "y2": at[e["target"]]["y"],
              "relation": e["relation"], "strength": e.get("strength", 1.0)}
             for e in edges if e["source"] in at and e["target"] in at]
    hidden = alt.Axis(grid=False, labels=False, ticks=False, domain=False, title=None)
    x = alt.X("x:Q", axis=hidden, scale=alt.Scale(domain=[-1.5, 1.5]))
    y = alt.Y("y:Q", axis=hidden, scale=alt.Scale(domain=[-1.3, 1.3]))
    links = alt.Chart(alt.Data(values=lines)).mark_rule(color="#90a4ae").encode(
        x, y, x2="x2:Q", y2="y2:Q", opacity=alt.Opacity("strength:Q", legend=None,
                                                       scale=alt.Scale(domain=[0, 1])),
        tooltip=["relation:N", alt.Tooltip("strength:Q", format=".3f")])
    base = alt.Chart(alt.Data(values=list(nodes)))
    points = base.mark_circle(size=420, opacity=1).encode(
        x, y, alt.Color("kind:N", title="node"), tooltip=["kind:N", "label:N"])
    labels = base.mark_text(dy=18, fontSize=11).encode(x, y, text="label:N")
    return (links + points + labels).properties(height=height)


def per_minute(rows: Sequence[dict[str, Any]]) -> alt.Chart:
    """Counts per minute as lines, one per `series` (events, conversions).

    Args:
        rows: dicts with `minute` (ISO time), `count` and `series`.
    """
    return alt.Chart(alt.Data(values=list(rows))).mark_line(point=True).encode(
        alt.X("minute:T", title="minute"), alt.Y("count:Q", title="per minute"),
        alt.Color("series:N", title=None),
        tooltip=[alt.Tooltip("minute:T", format="%H:%M"), "series:N", "count:Q"])


def waterfall(steps: Sequence[dict[str, Any]], *, title: str | None = None) -> alt.Chart:
    """A match-weight waterfall, as Splink draws it: the prior, each comparison's weight
    stacked on the running total, and the final match weight, in bits; the tooltip carries
    the level and the probability after each step.

    Args:
        steps: rows with `label`, `kind` (prior|comparison|final), `weight`, `start`, `end`,
            `probability`, and optionally `level` (as `matching.explain.Waterfall.rows()`).
        title: the chart title.
    """
    rows = [{**step, "level": step.get("level") or "",
             "bar": (_TOTAL if step["kind"] != "comparison"
                     else _GAIN if step["weight"] >= 0 else _LOSS)} for step in steps]
    base = alt.Chart(alt.Data(values=rows), title=title or alt.Undefined)
    x = alt.X("label:N", sort=None, title=None, axis=alt.Axis(labelAngle=-30))
    bars_ = base.mark_bar().encode(
        x, alt.Y("start:Q", title="match weight (bits)"), alt.Y2("end:Q"),
        alt.Color("bar:N", scale=None),
        tooltip=[alt.Tooltip("label:N", title="step"), alt.Tooltip("level:N"),
                 alt.Tooltip("weight:Q", format="+.2f"),
                 alt.Tooltip("end:Q", title="running total", format=".2f"),
                 alt.Tooltip("probability:Q", title="probability", format=".3f")])
    labels = base.mark_text(dy=-8).encode(
        x, alt.Y("top:Q"), text=alt.Text("weight:Q", format="+.2f"))
    return (bars_ + labels.transform_calculate(top="max(datum.start, datum.end)")
            ).properties(height=260)


def curves(curves: dict[str, dict[str, list[float]]], *, current: dict[str, float] | None = None
           ) -> alt.Chart:
    """Response curves with their interval bands, one colour per channel: `curves` is the
    API's {channel: {spend, mean, low, high}}; `current` marks each channel's present weekly
    spend with a rule.

    Args:
        curves: per channel, weekly spend points and the weekly revenue's mean and interval.
        current: weekly spend per channel drawn as a dashed rule of the channel's colour.
    """
    rows = [{"channel": channel, "spend": spend, "mean": mean, "low": low, "high": high}
            for channel, curve in curves.items()
            for spend, mean, low, high in zip(curve["spend"], curve["mean"], curve["low"],
                                              curve["high"], strict=True)]
    colour = alt.Color("channel:N", title="channel", scale=alt.Scale(scheme="tableau10"))
    x = alt.X("spend:Q", title="weekly spend ($)")
    base = alt.Chart(alt.Data(values=rows))
    band = base.mark_area(opacity=0.15).encode(x, alt.Y("low:Q"), alt.Y2("high:Q"), colour)
    line = base.mark_line().encode(
        x, alt.Y("mean:Q", title="weekly revenue ($)"), colour,
        tooltip=["channel:N", alt.Tooltip("spend:Q", format=",.0f"),
                 alt.Tooltip("mean:Q", format=",.0f"), alt.Tooltip("low:Q", format=",.0f"),
                 alt.Tooltip("high:Q", format=",.0f")])
    layers = band + line
    if current:
        marks = alt.Chart(alt.Data(values=[{"channel": c, "spend": v}
                                           for c, v in current.items()]))
        layers += marks.mark_rule(strokeDash=[4, 3]).encode(x, colour)
    return layers.properties(height=360)
