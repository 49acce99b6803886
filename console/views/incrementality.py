"""Incrementality: what a storm's experiments say StormOps caused — the overall lift with its
interval, the sentence, lift by channel and by play, incremental next to path-based credit,
and the HTML report to download."""

from __future__ import annotations

from typing import Any

import streamlit as st

from stormops.console import charts, session
from stormops.console.client import ApiError
from stormops.console.views import View
from stormops.console.views._storms import pick_storm


def _pts(value: float | None) -> str:
    return "unbounded" if value is None else f"{value * 100:+.1f} pts"


def _interval_rows(lifts: dict[str, dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    """Chart rows in points from {name: lift estimate}."""
    return [{"label": f"{prefix}{name}", "estimate": lift["estimate"] * 100,
             "low": None if lift["low"] is None else lift["low"] * 100,
             "high": None if lift["high"] is None else lift["high"] * 100,
             "units": f"{lift['n_treatment']:,} / {lift['n_control']:,}"}
            for name, lift in sorted(lifts.items())]


def _headline(report: dict[str, Any]) -> None:
    overall = report["overall"]
    level = f"{report['confidence'] * 100:.0f}%"
    cols = st.columns(4)
    if overall is None:
        cols[0].metric("Overall lift", "not measured")
        st.warning(report["headline"])
    else:
        cols[0].metric("Overall lift", _pts(overall["estimate"]),
                       help=f"from {report['overall_experiment']}")
        cols[1].metric(f"{level} interval", "unbounded" if None in (overall["low"],
                                                                    overall["high"])
                       else f"{overall['low'] * 100:+.1f} to {overall['high'] * 100:+.1f} pts")
        sure = overall["low"] is not None and (overall["low"] > 0 or
                                               (overall["high"] or 0) < 0)
        cols[2].metric("Confidence", level if sure else "not reached",
                       help="whether the interval excludes no effect")
        cols[3].metric("Treated / control units",
                       f"{overall['n_treatment']:,} / {overall['n_control']:,}")
        (st.success if overall["low"] is not None and overall["low"] > 0 else st.info)(
            report["headline"])
    if not report["experiments"]:
        st.caption("No experiment ran in this storm, so there is no sample-ratio check.")
    for item in report["srm"]:
        message = (f"Sample-ratio check of {item['experiment']}: "
                   f"{'MISMATCH' if item['flagged'] else 'no mismatch'} "
                   f"(p = {item['p_value']:.3f})")
        (st.error if item["flagged"] else st.caption)(message)


def _lifts(report: dict[str, Any]) -> None:
    left, right = st.columns(2)
    with left:
        st.subheader("Lift by channel")
        rows = _interval_rows(report["by_channel"], "")
        if rows:
            st.altair_chart(charts.intervals(rows), width="stretch")
            st.dataframe(rows, hide_index=True)
        else:
            st.caption("No channel holdout in this storm.")
    with right:
        st.subheader("Lift by play")
        rows = _interval_rows(report["by_play"], "")
        if rows:
            st.altair_chart(charts.intervals(rows), width="stretch")
            source = report["by_play_source"]
            st.caption("Each play against the conservative one (policy test)."
                       if source == "policy_test" else
                       f"The {source} compared within the properties where each play ran.")
            st.dataframe(rows, hide_index=True)
        else:
            st.caption("No play measured in this storm.")


def _credit(storm_id: str) -> None:
    st.subheader("Incremental credit next to path-based credit")
    try:
        both = session.client().get(f"/v1/reports/storms/{storm_id}/incremental")
    except ApiError as exc:
        if exc.status != 404:
            session.report(exc)
        else:
            st.caption(exc.detail)
        return
    st.caption(f"Path credit by {both['method']}; incremental conversions share out the "
               f"{both['measured_incremental_conversions']:,.1f} the "
               "experiment measured"
               + (f", calibrated to the holdouts of {', '.join(both['calibrated_channels'])}"
                  if both["calibrated_channels"] else "") + ".")
    long = [{"channel": row["channel"], "credit": kind, "share": row[field] * 100}
            for row in both["table"] for kind, field in (
                ("path-based", "fractional_share"), ("incremental", "calibrated_share"))]
    st.altair_chart(charts.bars(long, x="channel", y="share", color="credit",
                                x_title="channel", y_title="share of credit (%)"),
                    width="stretch")
    st.dataframe(both["table"], hide_index=True)


def render() -> None:
    st.title("Incrementality")
    storm = pick_storm("incrementality_storm", experimented=True)
    if storm is None:
        return
    storm_id = storm["storm_id"]
    try:
        report = session.client().get(f"/v1/reports/storms/{storm_id}")
    except ApiError as exc:
        session.report(exc)
        return
    _headline(report)
    _lifts(report)
    _credit(storm_id)
    try:
        page = session.client().text(f"/v1/reports/storms/{storm_id}", format="html")
    except ApiError as exc:
        session.report(exc)
        return
    st.download_button("Download the HTML report", page, file_name=f"incrementality-"
                       f"{storm_id}.html", mime="text/html", key="incrementality_download")


PAGE = View("Incrementality", "incrementality", render, icon=":material/trending_up:",
            section="Marketing")
