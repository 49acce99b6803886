"""The storm cockpit: a storm's live attribution, redrawn every few seconds without a page
reload (per-channel credit, conversions per minute, the consumer's lag)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from stormops.console import charts, session
from stormops.console.client import ApiError
from stormops.console.views import View
from stormops.console.views._storms import pick_storm

REFRESH_SECONDS = 2.0


# The channel table as a storm manager reads it: money in dollars, credit to a tenth.
CHANNEL_COLUMNS = {
    "touches": st.column_config.NumberColumn(format="localized"),
    "spend": st.column_config.NumberColumn(format="dollar"),
    "credit_conversions": st.column_config.NumberColumn(format="%.1f"),
    "credit_revenue": st.column_config.NumberColumn(format="dollar"),
    "cpa": st.column_config.NumberColumn(format="dollar", help="spend per credited conversion"),
    "roas": st.column_config.NumberColumn(format="%.1fx", help="credited revenue per dollar"),
}


def compact_money(value: float) -> str:
    """Dollars short enough for a metric tile in a row of six: $9,876, $123.4k, $2.40M."""
    sign, size = "-" if value < 0 else "", abs(value)
    if size < 10_000:
        return f"{sign}${size:,.0f}"
    if size < 999_950:  # what would round to $1,000.0k is $1.00M
        return f"{sign}${size / 1_000:,.1f}k"
    return f"{sign}${size / 1_000_000:,.2f}M"


def _figures(board: dict[str, Any]) -> None:
    cols = st.columns(6)
    cols[0].metric("Events", f"{board['events']:,}")
    cols[1].metric("Conversions", f"{board['conversions']:,}")
    cols[2].metric("Revenue", compact_money(board["revenue"]),
                   help=f"${board['revenue']:,.2f}")
    cols[3].metric("Spend", compact_money(board["spend"]), help=f"${board['spend']:,.2f}")
    lag = (board.get("lag") or {}).get("total")
    cols[4].metric("Consumer lag", "no consumer yet" if lag is None else f"{lag:,}",
                   help="events on the topic the live consumer has not taken yet")
    newest = board.get("newest_event_at")  # ISO, UTC: the time shown, the day on hover
    cols[5].metric("Newest event, UTC", newest[11:19] if newest else "—",
                   help=f"{newest[:10]} {newest[11:19]} UTC" if newest else None)


def window_note(shown: int, events: int, minutes: int) -> str:
    """Why the per-minute chart holds fewer events than the storm: it keeps a window."""
    return (f"The chart keeps the {minutes} minutes of event time up to the newest "
            f"event: {shown:,} of the storm's {events:,} events. A replay of a past storm "
            "keeps its times; `stormops live replay --retime` stamps them as they are sent.")


def _charts(board: dict[str, Any]) -> None:
    left, right = st.columns(2)
    with left:
        st.markdown(f"**Credit per channel ({board['method']})**")
        rows = [{"channel": c["channel"], "credited conversions": c["credit_conversions"]}
                for c in board["channels"]]
        st.altair_chart(charts.bars(rows, x="channel", y="credited conversions",
                                    y_title="credited conversions"),
                        width="stretch")
    with right:
        st.markdown("**Conversions per minute (event time)**")
        rows = [{"minute": m["minute"], "count": m["conversions"], "series": "conversions"}
                for m in board["per_minute"]] + [
               {"minute": m["minute"], "count": m["events"], "series": "events"}
               for m in board["per_minute"]]
        st.altair_chart(charts.per_minute(rows), width="stretch")
        shown = sum(m["events"] for m in board["per_minute"])
        if shown < board["events"]:
            st.caption(window_note(shown, board["events"], board["window_minutes"]))
    st.dataframe([{k: c[k] for k in ("channel", *CHANNEL_COLUMNS)} for c in board["channels"]],
                 hide_index=True, column_config=CHANNEL_COLUMNS)
    incremental = board.get("incremental")
    if incremental:
        st.caption(f"Incremental credit from experiment {incremental.get('experiment_id')}: "
                   f"{incremental.get('measured_incremental_conversions', 0):,.1f} "
                   "incremental conversions measured.")


def _board(storm_id: str) -> None:
    try:
        board = session.client().get(f"/v1/live/storms/{storm_id}")
    except ApiError as exc:
        if exc.status == 404:
            st.info(f"{exc.detail}: start `stormops live run` and replay or post events.")
        else:
            session.report(exc)
        return
    _figures(board)
    _charts(board)
    st.caption(f"Live state version {board['version']}, updated {board['updated_at']}; "
               f"redrawn every {REFRESH_SECONDS:g} s.")


def render() -> None:
    st.title("Storm cockpit")
    storm = pick_storm("cockpit_storm")
    if storm is None:
        return
    live = st.toggle("Live", True, key="cockpit_live", help="redraw without reloading the page")
    storm_id = storm["storm_id"]

    @st.fragment(run_every=REFRESH_SECONDS if live else None)
    def board() -> None:
        _board(storm_id)

    board()


PAGE = View("Storm cockpit", "cockpit", render, icon=":material/monitoring:", section="Live")
