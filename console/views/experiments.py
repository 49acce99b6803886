"""Experiments: create one from a template (reviewers), its arms and assignment counts, the
sample-ratio check, and lift with its confidence interval as a chart."""

from __future__ import annotations

from typing import Any

import streamlit as st

from stormops.console import charts, session
from stormops.console.client import ApiError
from stormops.console.views import View
from stormops.console.views._storms import pick_storm

# Template settings a form asks for beyond name and storm, with their defaults.
_SHARES = {"holdout": ("control_share", 0.1), "channel_holdout": ("holdout_share", 0.1)}


def _create(storm_id: str, templates: list[dict[str, Any]]) -> None:
    """The form that creates an experiment over the storm and assigns its impacted
    properties (reviewers and admins: the API refuses the rest)."""
    by_name = {t["template"]: t for t in templates}
    with st.expander("New experiment over this storm"):
        template = st.selectbox("Template", list(by_name), key="experiment_template",
                                format_func=lambda t: f"{t} — {by_name[t]['description']}")
        chosen = by_name[template]
        st.caption(f"Arms {', '.join(chosen['variants'])} (control: {chosen['control']}); "
                   f"unit: {chosen['unit']}" + (f"; balanced within {chosen['stratify_by']}"
                                                if chosen["stratify_by"] else ""))
        with st.form("experiment_create"):
            name = st.text_input("Name", key="experiment_name")
            config: dict[str, Any] = {"storm_id": storm_id}
            if "channel" in chosen["settings"]:
                config["channel"] = st.text_input("Channel held back", "door_knock",
                                                  key="experiment_channel")
            if template in _SHARES:
                field, default = _SHARES[template]
                config[field] = st.number_input(field.replace("_", " ").capitalize(), 0.01,
                                                0.99, default, 0.05, key="experiment_share")
            assign = st.checkbox("Assign the storm's impacted properties now", True,
                                 key="experiment_assign")
            submitted = st.form_submit_button("Create", type="primary")
    if not submitted:
        return
    api = session.client()
    try:
        made = api.post("/v1/experiments", {"template": template,
                                            "config": {"name": name, **config}})
        if assign:
            api.post(f"/v1/experiments/{made['experiment_id']}/assignments/storm", {})
    except ApiError as exc:
        session.report(exc)
        return
    st.session_state["experiment_pick"] = made["experiment_id"]  # shown once listed
    st.toast(f"Experiment {name} created")


def _arms(experiment: dict[str, Any]) -> None:
    rows = [{"arm": arm, "weight": f"{figures['weight']:.0%}", "units": figures["units"],
             "properties": figures["properties"],
             "control": arm == experiment["control"]}
            for arm, figures in experiment["arms"].items()]
    st.dataframe(rows, hide_index=True)
    srm = experiment["srm"]
    if srm is None:
        st.info("No unit is assigned yet: no sample-ratio check.")
    elif srm["flagged"]:
        st.error(f"Sample-ratio MISMATCH (chi² {srm['chi2']:.2f}, p = {srm['p_value']:.4f}): "
                 f"observed {srm['observed']} against expected "
                 f"{[round(e, 1) for e in srm['expected']]}. Treat its lifts with suspicion.")
    else:
        st.success(f"Sample-ratio check: no mismatch (chi² {srm['chi2']:.2f}, "
                   f"p = {srm['p_value']:.3f}).")


def _lift(experiment: dict[str, Any]) -> None:
    try:
        readout = session.client().get(f"/v1/experiments/{experiment['experiment_id']}/lift")
    except ApiError as exc:
        if exc.status in (404, 422):  # no storm yet, or nothing to compare: say why
            st.caption(exc.detail)
        else:
            session.report(exc)
        return
    st.dataframe([{"arm": arm, **figures} for arm, figures in readout["arms"].items()],
                 hide_index=True)
    rows = [{"label": f"{arm} vs {readout['control']}", "estimate": d["estimate"] * 100,
             "low": None if d["low"] is None else d["low"] * 100,
             "high": None if d["high"] is None else d["high"] * 100}
            for arm, lifts in readout["lifts"].items() for d in (lifts["difference"],)]
    if not rows:
        st.caption("No arm has units with outcomes to compare yet.")
        return
    level = f"{readout['confidence'] * 100:.0f}%"
    st.markdown(f"**Lift over {readout['control']}, with its {level} interval**")
    st.altair_chart(charts.intervals(rows), width="stretch")
    plays = [{"label": f"{arm}: {play}", "estimate": d["estimate"] * 100,
              "low": None if d["low"] is None else d["low"] * 100,
              "high": None if d["high"] is None else d["high"] * 100}
             for arm, by_play in readout.get("by_play", {}).items()
             for play, d in by_play.items()]
    if plays:
        st.markdown("**The same, within the properties where each play ran**")
        st.altair_chart(charts.intervals(plays), width="stretch")


def render() -> None:
    st.title("Experiments")
    storm = pick_storm("experiments_storm", experimented=True)
    if storm is None:
        return
    api = session.client()
    try:
        templates = api.get("/v1/experiments/templates")["templates"]
        if session.may("reviewer"):
            _create(storm["storm_id"], templates)
        listed = api.get("/v1/experiments", storm_id=storm["storm_id"])["experiments"]
    except ApiError as exc:
        session.report(exc)
        return
    if not listed:
        st.info("No experiment in this storm yet."
                + ("" if session.may("reviewer") else " A reviewer can create one."))
        return
    by_id = {e["experiment_id"]: e for e in listed}
    ids = list(by_id)
    if st.session_state.get("experiment_pick") not in ids:
        st.session_state.pop("experiment_pick", None)
    chosen = st.radio("Experiment", ids, key="experiment_pick", horizontal=True,
                      format_func=lambda e: f"{by_id[e]['name']} ({by_id[e]['template']})")
    experiment = by_id[chosen]
    st.subheader(experiment["name"])
    st.caption(f"{experiment['template']} · id {experiment['experiment_id']}"
               + (f" · channel {experiment['channel']}" if experiment.get("channel") else ""))
    _arms(experiment)
    _lift(experiment)


PAGE = View("Experiments", "experiments", render, icon=":material/science:",
            section="Marketing")
