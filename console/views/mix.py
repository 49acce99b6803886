"""Marketing mix: what each channel returns per dollar (ROI with its interval), its weekly
response curve, and the split of a weekly budget that earns the most; admins fit a new model.

Every figure comes from the tenant's stored fit (`/v1/mmm/...`); fitting runs on the server as a
background job whose status the page shows."""

from __future__ import annotations

from typing import Any

import streamlit as st

from stormops.console import charts, session
from stormops.console.client import ApiError
from stormops.console.views import View

_RISK = 2.0  # the API's default: revenue less two posterior standard deviations


def _money(value: float) -> str:
    return f"${value:,.0f}"


def _model(models: list[dict[str, Any]]) -> dict[str, Any]:
    """The fit the page reads (newest by default), with its window and diagnostics."""
    labels = {m["version"]: f"{m['version']} · {m['window']['start']} to {m['window']['end']} "
                            f"({m['window']['weeks']} weeks)" for m in models}
    version = st.selectbox("Model", list(labels), format_func=labels.get, key="mix_version")
    model = next(m for m in models if m["version"] == version)
    d = model["diagnostics"]
    cols = st.columns(4)
    cols[0].metric("Channels", len(model["channels"]))
    cols[1].metric("Worst r-hat", "n/a" if d.get("r_hat_max") is None
                   else f"{d['r_hat_max']:.3f}", help="below 1.05: the chains agree")
    cols[2].metric("Least bulk ESS", "n/a" if d.get("ess_bulk_min") is None
                   else f"{d['ess_bulk_min']:,.0f}")
    cols[3].metric("Divergences", f"{int(d.get('divergences') or 0):,}")
    tests = ", ".join(t["channel"] for t in model["lift_tests"]) or "none"
    st.caption(f"Calibrated by lift tests of: {tests}. Fitted {model['fitted_at']} in "
               f"{model['fit_seconds']:.0f} s.")
    return model


def _roi(version: str) -> dict[str, Any] | None:
    try:
        roi = session.read("get", "/v1/mmm/roi", version=version, points=25)  # a fit is fixed
    except ApiError as exc:
        session.report(exc)
        return None
    level = f"{roi['hdi_prob'] * 100:.0f}%"
    left, right = st.columns(2)
    rows = [{"label": channel, "estimate": c["roi"]["mean"], "low": c["roi"]["low"],
             "high": c["roi"]["high"], "weekly spend": round(c["weekly_spend"], 2)}
            for channel, c in sorted(roi["channels"].items(),
                                     key=lambda item: -item[1]["roi"]["mean"])]
    with left:
        st.subheader(f"ROI per channel ({level} interval)")
        st.altair_chart(charts.intervals(rows, x_title="revenue per dollar spent"),
                        width="stretch")
        st.caption("Revenue each channel added over the window per dollar it spent.")
    with right:
        st.subheader("Weekly response curves")
        current = {c: v["weekly_spend"] for c, v in roi["channels"].items()}
        st.altair_chart(charts.curves(roi["curves"], current=current), width="stretch")
        st.caption("Dashed: each channel's current weekly spend.")
    st.dataframe([{"channel": r["label"], "roi": round(r["estimate"], 3),
                   "low": round(r["low"], 3), "high": round(r["high"], 3),
                   "weekly spend": r["weekly spend"]} for r in rows], hide_index=True)
    return roi


def _optimizer(version: str, roi: dict[str, Any]) -> None:
    st.subheader("Budget optimizer")
    current = {c: v["weekly_spend"] for c, v in roi["channels"].items()}
    with st.form("mix_optimize"):
        total = st.number_input("Weekly budget ($)", min_value=1.0,
                                value=float(round(sum(current.values()))), step=1_000.0,
                                key="mix_total")
        risk = st.slider("Certainty (posterior standard deviations of revenue given up)",
                         0.0, 4.0, _RISK, 0.5, key="mix_risk",
                         help="0 maximizes expected revenue; higher keeps budget away from "
                              "channels whose return the model is unsure of.")
        bounds = st.data_editor(
            [{"channel": c, "low": round(0.5 * v, 2), "high": round(2 * v, 2)}
             for c, v in sorted(current.items())],
            hide_index=True, disabled=["channel"], key="mix_bounds",
            column_config={"low": st.column_config.NumberColumn("low ($/week)", min_value=0),
                           "high": st.column_config.NumberColumn("high ($/week)",
                                                                 min_value=0)})
        run = st.form_submit_button("Optimize", type="primary")
    if not run and "mix_result" not in st.session_state:
        st.caption("Bounds start at half and twice each channel's current weekly spend.")
        return
    if run:
        try:
            st.session_state["mix_result"] = session.client().post("/v1/mmm/optimize", {
                "total": total, "risk": risk, "version": version,
                "bounds": {b["channel"]: [b["low"], b["high"]] for b in bounds}})
        except ApiError as exc:
            st.session_state.pop("mix_result", None)
            session.report(exc)
            return
    _split(st.session_state["mix_result"])


def _split(best: dict[str, Any]) -> None:
    gain = best["gain"]
    cols = st.columns(3)
    cols[0].metric("Expected weekly revenue", _money(best["expected_revenue"]["mean"]),
                   help=f"{_money(best['expected_revenue']['low'])} to "
                        f"{_money(best['expected_revenue']['high'])}")
    cols[1].metric("Against the current split", f"{gain['mean']:+,.0f} $/week",
                   help=f"{best['hdi_prob'] * 100:.0f}% interval {gain['low']:+,.0f} to "
                        f"{gain['high']:+,.0f}")
    cols[2].metric("Certainty setting", f"{best['risk']:g} sd")
    long = [{"channel": c, "split": split, "weekly spend": best[field][c]}
            for c in sorted(best["allocation"])
            for split, field in (("current", "current"), ("optimized", "allocation"))]
    st.altair_chart(charts.bars(long, x="channel", y="weekly spend", color="split",
                                x_title="channel", y_title="weekly spend ($)"),
                    width="stretch")
    st.dataframe([{"channel": c, "current": round(best["current"][c], 2),
                   "optimized": round(best["allocation"][c], 2),
                   "change": round(best["change"][c], 2)} for c in sorted(best["allocation"])],
                 hide_index=True)


def _fit() -> None:
    """The admin's fit: started in the background; the page shows the job's status."""
    with st.expander("Fit a new model"):
        months = st.number_input("Months of history", 3, 120, 24, key="mix_months")
        if st.button("Start fitting", key="mix_fit"):
            try:
                job = session.client().post("/v1/mmm/fits", {"months": int(months)})
            except ApiError as exc:
                session.report(exc)
                return
            st.session_state["mix_job"] = job["job_id"]
        if (job_id := st.session_state.get("mix_job")) is None:
            return
        try:
            job = session.client().get(f"/v1/mmm/fits/{job_id}")
        except ApiError as exc:
            session.report(exc)
            return
        message = f"Fit {job_id}: {job['status']}"
        if job["status"] == "failed":
            st.error(f"{message} — {job['error']}")
        elif job["status"] == "done":
            st.success(f"{message}: version {job['version']}")
        else:
            st.info(f"{message} ({job['weeks']} weeks, {len(job['channels'])} channels); "
                    "reload to follow it.")


def render() -> None:
    st.title("Marketing mix")
    try:
        models = session.read("get", "/v1/mmm/models")
    except ApiError as exc:
        session.report(exc)
        return
    if session.may("admin"):
        _fit()
    if not models:
        st.info("No mix model is fitted for this tenant yet"
                + (": fit one above." if session.may("admin") else " (an admin fits one)."))
        return
    model = _model(models)
    roi = _roi(model["version"])
    if roi is not None:
        _optimizer(model["version"], roi)


PAGE = View("Marketing mix", "mix", render, icon=":material/tune:", section="Marketing")
