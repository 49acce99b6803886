"""Chart helpers for the console's pages, on Altair (Streamlit bundles Vega: no CDN).

Each helper takes plain rows (lists of dicts, as the API answers) and returns a chart for
`st.altair_chart`, with titled axes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

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
    encoding: dict[str, Any] = {"tooltip": [x, y] + ([color] if color else [])}
    if color:
        encoding["color"] = alt.Color(f"{color}:N", title=color)
        encoding["yOffset" if horizontal else "xOffset"] = f"{color}:N"
    return alt.Chart(alt.Data(values=list(rows))).mark_bar().encode(
        cat, val, **encoding)


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
