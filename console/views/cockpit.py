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


def _figures(board: dict[str, Any]) -> None:
    cols = st.columns(6)
    cols[0].metric("Events", f"{board['events']:,}")
    cols[1].metric("Conversions", f"{board['conversions']:,}")
    cols[2].metric("Revenue", f"${board['revenue']:,.0f}")
    cols[3].metric("Spend", f"${board['spend']:,.0f}")
    lag = (board.get("lag") or {}).get("total")
    cols[4].metric("Consumer lag", "no consumer yet" if lag is None else f"{lag:,}",
                   help="events on the topic the live consumer has not taken yet")
    cols[5].metric("Newest event", (board.get("newest_event_at") or "—")[:19])


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
    st.dataframe([{k: c[k] for k in ("channel", "touches", "spend", "credit_conversions",
                                     "credit_revenue", "cpa", "roas")}
                  for c in board["channels"]], hide_index=True)
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
