"""The identity, experiments, incrementality, attribution, mix and cockpit pages rendered headless
(Streamlit's AppTest) against the real API and Neo4j, as each role sees them."""

from __future__ import annotations

import uuid

import httpx
import pytest
from neo4j import Driver
from streamlit.testing.v1 import AppTest

from stormops.console.views.cockpit import compact_money, window_note
from stormops.core.settings import Settings
from stormops.graph import delete_tenant
from stormops.graph.api_keys import create_api_key
from tests.console import marketing_fixtures
from tests.console.marketing_fixtures import Seeded, api

seeded = marketing_fixtures.seeded  # the module's fixture

TIMEOUT = 120  # a run waits on the API; the shared machine is slow


def _page(view: str) -> None:
    """AppTest script: draw one console page, as app.py does once signed in."""
    import importlib

    import streamlit as st

    importlib.import_module(f"stormops.console.views.{st.session_state['_view']}").render()


def _open(seeded: Seeded, monkeypatch: pytest.MonkeyPatch, view: str, role: str = "reader",
          **query: str) -> AppTest:
    monkeypatch.setenv("STORMOPS_API_URL", seeded.api_url)
    with api(seeded, role) as http:
        me = http.get("/v1/me").json()
    at = AppTest.from_function(_page, args=(view,), default_timeout=TIMEOUT)
    at.session_state["api_key"], at.session_state["me"] = seeded.keys[role], me
    at.session_state["_view"] = view
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _text(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "subheader", "markdown", "caption", "success",
                                  "info", "warning", "error") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def test_incrementality_page(seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _open(seeded, monkeypatch, "incrementality", storm=seeded.storm)
    with api(seeded) as http:
        answer = http.get(f"/v1/reports/storms/{seeded.storm}")
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert at.selectbox[0].value == seeded.storm
    overall = report["overall"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Overall lift"] == f"{overall['estimate'] * 100:+.1f} pts"
    assert metrics["Treated / control units"] == (f"{overall['n_treatment']:,} / "
                                                  f"{overall['n_control']:,}")
    assert report["headline"] in _text(at)
    assert "door_knock" in report["by_channel"]
    assert "Lift by channel" in _text(at) and "Lift by play" in _text(at)
    assert any("Sample-ratio check of" in c.value for c in [*at.caption, *at.error])
    assert at.get("download_button")  # the HTML report
    # another storm, without experiments, says so
    other = next(s["storm_id"] for s in api(seeded).get("/v1/storms").json()["storms"]
                 if s["storm_id"] != seeded.storm)
    at.selectbox[0].set_value(other).run()
    assert {m.label: m.value for m in at.metric}["Overall lift"] == "not measured"
    assert "No experiment ran in this storm" in _text(at)


def test_experiments_page_reader_and_reviewer(seeded: Seeded,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    reader = _open(seeded, monkeypatch, "experiments", storm=seeded.storm)
    assert not reader.get("expander")  # no create form for a reader
    assert [r.options for r in reader.radio][0] and "Sample-ratio check" in _text(reader)
    reviewer = _open(seeded, monkeypatch, "experiments", role="reviewer", storm=seeded.storm)
    reviewer.selectbox(key="experiment_template").set_value("holdout").run()
    reviewer.text_input(key="experiment_name").input("console holdout")
    reviewer.button[0].click().run()  # the form's Create
    assert not reviewer.exception, reviewer.exception
    with api(seeded) as http:
        made = [e for e in http.get("/v1/experiments", params={"storm_id": seeded.storm})
                .json()["experiments"] if e["name"] == "console holdout"]
    assert len(made) == 1 and sum(a["properties"] for a in made[0]["arms"].values()) > 0
    assert reviewer.radio[0].value == made[0]["experiment_id"]
    assert "console holdout" in _text(reviewer)


def test_identity_page(seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _open(seeded, monkeypatch, "profile", q=seeded.email)
    with api(seeded) as http:
        found = http.get("/v1/identities/search", params={"q": seeded.email}).json()
        profile = http.get(f"/v1/identities/{found['identity_id']}/profile").json()
    assert f"Identity {found['identity_id']}" in _text(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Segment"] == (profile["segment"] or "—")
    assert metrics["Lifetime value"] == f"${profile['lifetime_value'] or 0:,.2f}"
    assert "Journeys per storm" in _text(at)
    at.text_input(key="profile_query").input("nobody-here@example.com")
    at.button[0].click().run()
    assert "No identity has the identifier" in _text(at)


def test_attribution_page_by_role(seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    reader = _open(seeded, monkeypatch, "attribution", storm=seeded.storm)
    assert not reader.button and reader.json  # reads the config, cannot run or edit
    service = _open(seeded, monkeypatch, "attribution", role="service", storm=seeded.storm)
    service.button(key="attribution_run").click().run()
    assert not service.exception and service.dataframe  # methods side by side
    admin = _open(seeded, monkeypatch, "attribution", role="admin", storm=seeded.storm)
    admin.selectbox(key="attribution_default").set_value("linear")
    admin.button[-1].click().run()  # Save config, with the form's values
    assert not admin.error, [e.value for e in admin.error]
    assert any("Saved" in s.value for s in admin.success)
    with api(seeded) as http:
        assert http.get("/v1/attribution/config").json()["config"]["default_method"] == "linear"


def test_cockpit_page(seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _open(seeded, monkeypatch, "cockpit", storm=seeded.storm)
    with api(seeded) as http:
        board = http.get(f"/v1/live/storms/{seeded.storm}").json()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Events"] == f"{board['events']:,}"
    assert metrics["Conversions"] == f"{board['conversions']:,}"
    assert metrics["Revenue"] == compact_money(board["revenue"])
    newest = board["newest_event_at"]
    assert metrics["Newest event, UTC"] == newest[11:19]
    assert "Credit per channel" in _text(at)
    shown = sum(m["events"] for m in board["per_minute"])
    note = window_note(shown, board["events"], board["window_minutes"])
    assert (note in [c.value for c in at.caption]) == (shown < board["events"])


def test_mix_page_reads_the_fit_and_optimizes(seeded: Seeded,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    at = _open(seeded, monkeypatch, "mix")
    with api(seeded) as http:
        roi = http.get("/v1/mmm/roi").json()
    assert at.selectbox(key="mix_version").value == seeded.mix_version
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Channels"] == str(len(roi["channels"]))
    assert "ROI per channel (94% interval)" in _text(at)
    table = at.dataframe[0].value  # the ROI table; the bounds editor follows
    shown = {row["channel"]: row["roi"] for row in table.to_dict("records")}
    assert shown == {c: round(v["roi"]["mean"], 3) for c, v in roi["channels"].items()}
    assert not at.expander  # a reader cannot fit

    current = {c: v["weekly_spend"] for c, v in roi["channels"].items()}
    total = float(round(1.1 * sum(current.values())))
    at.number_input(key="mix_total").set_value(total)
    at.slider(key="mix_risk").set_value(0.0)
    at.button[0].click().run()  # the form's Optimize
    assert not at.error, [e.value for e in at.error]
    split = at.dataframe[-1].value
    assert split["optimized"].sum() == pytest.approx(total, abs=0.05)
    for row in split.to_dict("records"):  # within the default bounds: 0.5x to 2x the current
        assert 0.5 * current[row["channel"]] - 0.01 <= row["optimized"]
        assert row["optimized"] <= 2 * current[row["channel"]] + 0.01
    with api(seeded) as http:
        best = http.post("/v1/mmm/optimize", json={
            "total": total, "risk": 0.0, "bounds": {
                c: [round(0.5 * v, 2), round(2 * v, 2)] for c, v in current.items()}}).json()
    assert {r["channel"]: r["optimized"] for r in split.to_dict("records")} == pytest.approx(
        {c: round(v, 2) for c, v in best["allocation"].items()}, abs=0.02)
    assert {m.label: m.value for m in at.metric}["Certainty setting"] == "0 sd"

    at.number_input(key="mix_total").set_value(1.0)  # below the bounds' lows: refused
    at.button[0].click().run()
    assert any("bounds" in e.value for e in at.error)


def test_mix_page_for_an_admin_and_a_tenant_without_a_fit(
        seeded: Seeded, monkeypatch: pytest.MonkeyPatch, driver: Driver,
        settings: Settings) -> None:
    admin = _open(seeded, monkeypatch, "mix", role="admin")
    assert admin.expander and admin.button(key="mix_fit")
    other = f"console-{uuid.uuid4().hex[:10]}"
    key = create_api_key(driver, settings.neo4j_database, other, "reader")
    monkeypatch.setenv("STORMOPS_API_URL", seeded.api_url)
    with httpx.Client(base_url=seeded.api_url, headers={"X-API-Key": key}) as http:
        me = http.get("/v1/me").json()
    at = AppTest.from_function(_page, args=("mix",), default_timeout=TIMEOUT)
    at.session_state["api_key"], at.session_state["me"] = key, me
    at.session_state["_view"] = "mix"
    try:
        at.run()
        assert not at.exception, at.exception
        assert any("No mix model is fitted" in i.value for i in at.info)
    finally:
        delete_tenant(driver, settings.neo4j_database, other)
