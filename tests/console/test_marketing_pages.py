"""The identity, experiments, incrementality, attribution and cockpit pages rendered headless
(Streamlit's AppTest) against the real API and Neo4j, as each role sees them."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from stormops.console.views.cockpit import compact_money, window_note
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
