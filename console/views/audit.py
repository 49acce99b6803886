"""The merge audit: the tenant's merges and unmerges (who, when, why, what moved), filtered
by actor, kind and date; one identity's whole history; and undo of a merge with a reason,
chained merges included (each undo restores exactly what its merge moved)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import streamlit as st

from stormops.console import session
from stormops.console.client import ApiError
from stormops.console.views import View
from stormops.console.views._evidence import show_evidence

PAGE_SIZE = 50
_KINDS = ("", "merge", "auto_merge", "unmerge")


def _day_bounds(days: tuple[date, ...]) -> tuple[str | None, str | None]:
    """A picked date range as [since, until) in UTC ISO text."""
    if not days:
        return None, None
    first, last = days[0], days[-1]
    since = datetime.combine(first, time.min, UTC)
    until = datetime.combine(last, time.min, UTC) + timedelta(days=1)
    return since.isoformat(), until.isoformat()


def _row(event: dict[str, Any]) -> dict[str, Any]:
    moved = event.get("moved")
    return {"at": str(event.get("at"))[:19], "kind": event["kind"], "actor": event.get("actor"),
            "reason": event.get("reason"), "into": event.get("into"),
            "other": event.get("other"),
            "moved": len(moved) if isinstance(moved, list) else event.get("restored"),
            "undone by": event.get("undone_by"), "undoes": event.get("undoes"),
            "event": event["event_id"]}


def _label(event: dict[str, Any]) -> str:
    arrow = "<-" if event["kind"] != "unmerge" else "->"
    return (f"{str(event.get('at'))[:19]} · {event['kind']} · {event.get('actor')} · "
            f"{event.get('into')} {arrow} {event.get('other')}")


def _undo(event_id: str, reason_key: str) -> None:
    reason = st.session_state.get(reason_key, "").strip()
    if not reason:
        st.session_state["audit_flash"] = ("error", "Give a reason for the undo.")
        return
    try:
        new_id = session.client().undo(event_id, reason)["event_id"]
    except ApiError as exc:
        st.session_state["audit_flash"] = ("error", exc.detail)
        if exc.signed_out:
            session.sign_out(f"Signed out: {exc.detail}.")
        return
    st.session_state["audit_flash"] = ("success", f"Undone: {event_id} (unmerge {new_id})")


def _moved_link(moved: dict[str, Any]) -> dict[str, Any]:
    """One link a merge moved, as a row: the identifier (its key without the tenant), and the
    link's strength, method and evidence as it was (the log keeps the link's properties, and
    a structured evidence among them, as JSON text)."""
    props = _object(moved.get("props")) or {"evidence": moved.get("props")}
    evidence = props.get("evidence")
    if (decoded := _object(evidence)) is not None:
        evidence = "; ".join(f"{k}: {v}" for k, v in decoded.items())
    return {"identifier": str(moved.get("key", "")).split("|", 1)[-1],
            "strength": props.get("strength"), "method": props.get("method"),
            "evidence": evidence}


def _object(value: Any) -> dict[str, Any] | None:
    """`value` as a dict: itself, or decoded from JSON text; None when it is neither."""
    if isinstance(value, str) and value.startswith("{"):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def _detail(events: list[dict[str, Any]], key: str) -> None:
    """Pick one event: what moved, its evidence, and undo."""
    if not events:
        return
    by_id = {event["event_id"]: event for event in events}
    chosen = st.selectbox("Event", list(by_id), key=key, format_func=lambda e: _label(by_id[e]))
    event = by_id[chosen]
    left, right = st.columns(2)
    with left:
        st.markdown("**What moved**")
        moved = event.get("moved")
        if moved and isinstance(moved, list) and all(isinstance(m, dict) for m in moved):
            st.table([_moved_link(m) for m in moved], hide_index=True)
        else:
            st.json(moved or {"restored": event.get("restored"),
                              "skipped": event.get("skipped")}, expanded=1)
    with right:
        st.markdown("**Evidence**")
        show_evidence(event.get("evidence"))
        if isinstance(event.get("evidence"), dict) and event["evidence"].get(
                "override_cannot_link"):
            st.warning("This merge overrode a reviewer's decision that these are different "
                       "people.")
    if event["kind"] == "unmerge":
        st.caption(f"Undoes {event.get('undoes')}.")
    elif event.get("undone_by"):
        st.caption(f"Undone by {event['undone_by']}.")
    elif session.may("reviewer"):
        st.text_input("Reason for the undo", key=f"{key}_reason")
        st.button("Undo this merge", key=f"{key}_undo", type="primary",
                  on_click=_undo, args=(event["event_id"], f"{key}_reason"))


def _log() -> None:
    actor_col, kind_col, days_col = st.columns([2, 1, 2])
    actor = actor_col.text_input("Actor", key="audit_actor",
                                 help="as the log names it, e.g. key:1a2b3c4d or cli").strip()
    kind = kind_col.selectbox("Kind", _KINDS, key="audit_kind",
                              format_func=lambda k: k or "any")
    days = days_col.date_input("Dates (UTC)", value=(), key="audit_days")
    since, until = _day_bounds(tuple(days) if isinstance(days, tuple | list) else (days,))
    offset = st.session_state.setdefault("audit_offset", 0)
    try:
        page = session.read("merge_log", actor=actor or None, kind=kind or None,
                            since=since, until=until, offset=offset, limit=PAGE_SIZE)
    except ApiError as exc:
        session.report(exc)
        return
    events = page["events"]
    st.caption(f"{len(events)} events from #{offset + 1}, newest first")
    st.dataframe([_row(e) for e in events], hide_index=True)
    previous, following = st.columns(2)
    if offset and previous.button("Newer", key="audit_newer"):
        st.session_state["audit_offset"] = max(0, offset - PAGE_SIZE)
        st.rerun()
    if page["next_offset"] is not None and following.button("Older", key="audit_older"):
        st.session_state["audit_offset"] = page["next_offset"]
        st.rerun()
    _detail(events, "audit_log_event")


def _history() -> None:
    identity_id = st.text_input("Identity id", key="audit_identity").strip()
    if not identity_id:
        st.caption("Every merge and unmerge that touched one identity, newest first.")
        return
    try:
        events = session.read("history", identity_id)["events"]
    except ApiError as exc:
        session.report(exc)
        return
    if not events:
        st.info(f"{identity_id} was never merged or unmerged.")
        return
    st.dataframe([_row(e) for e in events], hide_index=True)
    _detail(events, "audit_history_event")


def render() -> None:
    st.title("Merge audit")
    if flash := st.session_state.pop("audit_flash", None):
        (st.success if flash[0] == "success" else st.error)(flash[1])
    log, history = st.tabs(["Merge log", "One identity"])
    with log:
        _log()
    with history:
        _history()


PAGE = View("Merge audit", "audit", render, icon=":material/history:")
