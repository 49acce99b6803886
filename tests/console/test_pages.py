"""Every console page rendered headless (AppTest) against the real API and Neo4j: sign-in,
role gating, deciding review items, the merge audit with undo, and a revoked key."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from stormops.cli.console import app_path
from tests.console.conftest import Tenant

TIMEOUT = 120  # a loaded 2-core machine


def _app(key: str | None = None) -> AppTest:
    app = AppTest.from_file(str(app_path()), default_timeout=TIMEOUT)
    if key:
        app.session_state["api_key"] = key
    return app.run()


def _view(module: str) -> None:
    """One page of the console as the app runs it once signed in."""
    import importlib

    from stormops.console import session

    if session.signed_in():
        importlib.import_module(module).PAGE.render()


def _page(module: str, key: str) -> AppTest:
    app = AppTest.from_function(_view, args=(f"stormops.console.views.{module}",),
                                default_timeout=TIMEOUT)
    app.session_state["api_key"] = key
    return app.run()


def _button(app: AppTest, label: str):
    return next(b for b in app.button if b.label == label)


def test_sign_in_and_a_reader_sees_no_decision_buttons(seeded: Tenant) -> None:
    app = _app()
    assert [t.value for t in app.title] == ["StormOps console"]
    app.text_input(key="sign_in_key").input("sk_nope_nope")
    _button(app, "Sign in").click().run()
    assert "unknown API key" in app.error[0].value
    app.text_input(key="sign_in_key").input(seeded.keys["reader"])
    _button(app, "Sign in").click().run()
    assert not app.exception, app.exception
    assert [t.value for t in app.title] == ["Review queue"]
    assert f"**{seeded.name}** · reader" in [m.value for m in app.sidebar.markdown]
    labels = {b.label for b in app.button}
    assert {"Next (N)", "Previous (P)"} <= labels
    assert not labels & {"Approve (A)", "Reject (X)"}, "a reader may not decide"
    assert "Item 1 of 3 open" in app.caption[0].value


def test_a_reviewer_approves_and_rejects_and_items_leave_the_queue(
    seeded: Tenant, api_url: str
) -> None:
    first, second = seeded.items[:2]
    app = _app(seeded.keys["reviewer"])
    assert first["item_id"] in " ".join(c.value for c in app.caption)
    shown = {row["evidence"] for table in app.table
             if list(table.value.columns) == ["evidence", "value"]
             for row in table.value.to_dict("records")}
    assert shown and all(name.split(".")[0] in first["evidence"] for name in shown), shown
    app.text_input(key="review_decision_reason").input("same phone and device")
    app.button(key="review_approve").click().run()
    assert not app.exception, app.exception
    assert app.success[0].value == f"Approved (merged): {first['item_id']}"
    assert "Item 1 of 2 open" in app.caption[0].value
    assert second["item_id"] in " ".join(c.value for c in app.caption)
    app.button(key="review_reject").click().run()  # the reason is kept for the next item
    assert app.success[0].value == f"Rejected (kept apart): {second['item_id']}"
    with seeded.api(api_url) as api:
        [merge] = api.get("/v1/merges").json()["events"]
        assert {merge["into"], merge["other"]} == set(first["identity_ids"])
        merged = api.get(f"/v1/identities/{merge['other']}").json()
        assert (merged["status"], merged["merged_into"]) == ("merged", merge["into"])
        rejected = api.get("/v1/review", params={"status": "rejected"}).json()["items"]
        assert [i["item_id"] for i in rejected] == [second["item_id"]]
        a, b = second["identity_ids"]
        refused = api.post("/v1/merges", json={"into": a, "other": b, "reason": "x"})
        assert refused.status_code == 409  # kept apart now
        assert api.get("/v1/review").json()["total"] == 1


def test_a_decision_needs_a_reason_and_filters_narrow_the_queue(seeded: Tenant) -> None:
    app = _app(seeded.keys["reviewer"])
    app.button(key="review_approve").click().run()
    assert app.error[0].value == "Give a reason before deciding."
    last = seeded.items[2]
    app.text_input(key="review_identity_filter").input(last["identity_ids"][0]).run()
    assert "Item 1 of 1 open" in app.caption[0].value
    assert last["item_id"] in " ".join(c.value for c in app.caption)
    app.selectbox(key="review_reason_filter").set_value("close_pair").run()
    assert app.info[0].value == "No open review items match."


def test_the_merge_audit_finds_merges_and_undoes_one(seeded: Tenant, api_url: str) -> None:
    with seeded.api(api_url, "reviewer") as api:
        item = seeded.items[0]
        api.post(f"/v1/review/{item['item_id']}",
                 json={"decision": "approve", "reason": "same"}).raise_for_status()
        actor = api.get("/v1/me").json()["actor"]
    app = _page("audit", seeded.keys["reviewer"])
    assert not app.exception, app.exception
    app.text_input(key="audit_actor").input(actor).run()
    log = app.dataframe[0].value
    assert list(log["kind"]) == ["merge"] and list(log["actor"]) == [actor]
    facts = [row for table in app.table if list(table.value.columns) == ["evidence", "value"]
             for row in table.value.to_dict("records")]
    assert facts and all(row["value"] for row in facts), facts
    [moved] = [table.value for table in app.table if "identifier" in table.value.columns]
    assert len(moved) > 0 and not moved["identifier"].str.startswith(seeded.name).any()
    assert set(moved["method"]) <= {"deterministic", "probabilistic", "model", None}, moved
    app.text_input(key="audit_log_event_reason").input("twins after all").run()
    app.button(key="audit_log_event_undo").click().run()
    assert app.success[0].value.startswith("Undone: ")
    with seeded.api(api_url) as api:
        events = api.get("/v1/merges").json()["events"]
        assert [e["kind"] for e in events] == ["unmerge", "merge"]
        assert api.get(f"/v1/identities/{events[1]['other']}").json()["status"] == "active"
    reader = _page("audit", seeded.keys["reader"])
    assert not [b for b in reader.button if b.label == "Undo this merge"]


def test_a_revoked_key_signs_out(seeded: Tenant, api_url: str) -> None:
    app = _app(seeded.keys["reviewer"])
    assert [t.value for t in app.title] == ["Review queue"]
    key_id = seeded.keys["reviewer"].split("_")[1]
    with seeded.api(api_url) as api:
        api.delete(f"/v1/keys/{key_id}").raise_for_status()
    deadline = time.monotonic() + 30
    while True:  # every worker drops the key within its cache's lifetime
        app.run()
        if app.title[0].value == "StormOps console" or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert [t.value for t in app.title] == ["StormOps console"]
    assert app.warning[0].value.startswith("Signed out: ")
