"""Attribution: a storm's credit per channel under every method run, side by side, and the
tenant's attribution config (read by everyone, edited by admins)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from stormops.attribution.config import ALL_METHODS
from stormops.console import charts, session
from stormops.console.client import ApiError
from stormops.console.views import View
from stormops.console.views._storms import pick_storm


def _compare(storm_id: str) -> None:
    api = session.client()
    if session.may("service") and st.button("Run every enabled method now",
                                            key="attribution_run"):
        with st.spinner("Attributing the storm ..."):
            try:
                api.post(f"/v1/attribution/storms/{storm_id}", {})
            except ApiError as exc:
                session.report(exc)
    try:
        compared = api.get(f"/v1/attribution/storms/{storm_id}/compare")
    except ApiError as exc:
        if exc.status != 404:
            session.report(exc)
            return
        st.info(exc.detail + ("" if session.may("service") else
                              " (a service key or above can run it)."))
        return
    long = [{"channel": row["channel"], "method": method, "credit": row[method]}
            for row in compared["table"] for method in compared["methods"]]
    st.altair_chart(charts.bars(long, x="channel", y="credit", color="method",
                                x_title="channel", y_title="credited conversions value"),
                    width="stretch")
    st.dataframe(compared["table"], hide_index=True)
    st.caption("Calculated: " + ", ".join(f"{m} {at}" for m, at in
                                          compared["calculated_at"].items()))


_ALL = list(ALL_METHODS)


def _edit(config: dict[str, Any]) -> None:
    """The admin's form: the fields a storm manager changes; the rest keep their values."""
    with st.form("attribution_config"):
        methods = st.multiselect("Methods enabled", config["methods"] + [
            m for m in _ALL if m not in config["methods"]], config["methods"],
            key="attribution_methods")
        default = st.selectbox("Default method", _ALL, _ALL.index(config["default_method"])
                               if config["default_method"] in _ALL else 0,
                               key="attribution_default")
        half_life = st.number_input("Time-decay half-life (days)", 0.1, 365.0,
                                    float(config["half_life_days"]), key="attribution_half")
        lookback = st.number_input("Lookback (days)", 1.0, 3650.0,
                                   float(config["lookback_days"] or 90.0),
                                   key="attribution_lookback")
        saved = st.form_submit_button("Save config", type="primary")
    if saved:
        try:
            session.client().request("PUT", "/v1/attribution/config", json={
                **config, "methods": methods, "default_method": default,
                "half_life_days": half_life, "lookback_days": lookback})
        except ApiError as exc:
            session.report(exc)
            return
        st.success("Saved: storms are attributed with it from their next run.")


def render() -> None:
    st.title("Attribution")
    storm = pick_storm("attribution_storm")
    if storm is not None:
        st.subheader("Credit per channel, methods side by side")
        _compare(storm["storm_id"])
    st.subheader("The tenant's attribution config")
    try:
        current = session.client().get("/v1/attribution/config")
    except ApiError as exc:
        session.report(exc)
        return
    st.caption("stored for this tenant" if current["stored"] else "the defaults (none stored)")
    if session.may("admin"):
        _edit(current["config"])
    else:
        st.json(current["config"])


PAGE = View("Attribution", "attribution", render, icon=":material/donut_small:",
            section="Marketing")
