"""The review queue: open merge candidates, oldest first; a reviewer approves or rejects each
with a reason, from the keyboard if they like (A approve, X reject, N next, P previous)."""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

from stormops.console import session
from stormops.console.charts import waterfall
from stormops.console.client import ApiError
from stormops.console.views import View
from stormops.console.views._evidence import show_evidence

PAGE_SIZE = 20
_PAGE = "review_page"
_ANY = ""
_RECORD_FIELDS = ("record_id", "source", "first_name", "last_name", "dob", "email", "phone",
                  "street_number", "address", "city", "zip")


def _state() -> dict[str, Any]:
    """Where the reviewer is: page offset and position on the page."""
    return st.session_state.setdefault("review", {"offset": 0, "position": 0})


def _filters() -> dict[str, Any]:
    """The queue filters; changing one goes back to the first item."""
    reasons = session.read("get", "/v1/review/reasons")
    with st.expander("Filters", expanded=False):
        left, middle, right = st.columns([2, 2, 2])
        reason = left.selectbox("Reason", [_ANY, *reasons], key="review_reason_filter",
                                format_func=lambda code: "any" if code == _ANY else code,
                                on_change=_restart)
        if reason:
            left.caption(reasons[reason])
        identity = middle.text_input("Identity id", key="review_identity_filter",
                                     on_change=_restart).strip()
        low, high = right.slider("Match probability", 0.0, 1.0, (0.0, 1.0), step=0.01,
                                 key="review_probability_filter", on_change=_restart)
    return {"reason": reason or None, "identity_id": identity or None,
            "min_probability": low if low > 0 else None,
            "max_probability": high if high < 1 else None}


def _restart() -> None:
    st.session_state["review"] = {"offset": 0, "position": 0}
    st.session_state.pop(_PAGE, None)


def _page(filters: dict[str, Any]) -> dict[str, Any]:
    """The page of the queue being worked, kept in the session: a decision takes its item off
    at once, with no new read. It is read again when the filters or the offset change, when
    every item on it is decided, or when older than the console's read cache.

    Returns:
        {"items", "total", "next_offset", "details": item id -> the item with its waterfall}.

    Raises:
        ApiError: the API refused or failed.
    """
    state = _state()
    wanted = (session.me()["key_id"], tuple(sorted(filters.items())), state["offset"])
    page = st.session_state.get(_PAGE)
    if page is None or page["for"] != wanted or not page["items"] or (
            time.monotonic() - page["at"] > session.READ_TTL_SECONDS):
        api = session.client()
        fetched = api.review_queue(offset=state["offset"], limit=PAGE_SIZE, **filters)
        if not fetched["items"] and state["offset"] > 0:  # the last items were decided
            state.update(offset=max(0, state["offset"] - PAGE_SIZE), position=0)
            wanted = (*wanted[:2], state["offset"])
            fetched = api.review_queue(offset=state["offset"], limit=PAGE_SIZE, **filters)
        page = st.session_state[_PAGE] = {**fetched, "for": wanted, "at": time.monotonic(),
                                          "details": {}}
    return page


def _detail(page: dict[str, Any], item_id: str) -> dict[str, Any]:
    """One item with its waterfall, read once per page."""
    if item_id not in page["details"]:
        page["details"][item_id] = session.client().review_item(item_id)
    return page["details"][item_id]


def _prefetch(page: dict[str, Any], item_id: str) -> None:
    """Read the item after this one now, while the reviewer reads, so the decision that
    brings it up costs one call (a failure is left to the run that shows it)."""
    try:
        _detail(page, item_id)
    except ApiError:
        pass


def _drop(item_id: str) -> None:
    """Take a decided item off the page at once, as the API took it off the queue."""
    page = st.session_state.get(_PAGE)
    if page and any(i["item_id"] == item_id for i in page["items"]):
        page["items"] = [i for i in page["items"] if i["item_id"] != item_id]
        page["total"] -= 1
        page["details"].pop(item_id, None)


def _side(column: Any, side: dict[str, Any]) -> None:
    """One identity of the pair: records, identifiers, properties, storms (static tables:
    a few rows each, drawn far quicker than interactive grids)."""
    with column:
        status = "" if side["status"] == "active" else f" ({side['status']} into " \
            f"{side.get('merged_into')})"
        st.markdown(f"**{side['identity_id']}**{status}")
        st.caption(f"{side['record_count']} records · properties: "
                   f"{', '.join(side['properties']) or '-'} · storms: "
                   f"{', '.join(side['storms']) or '-'}")
        if side["records"]:
            st.table([{k: r.get(k) for k in _RECORD_FIELDS} for r in side["records"]],
                     hide_index=True)
        if side["identifiers"]:
            st.table(side["identifiers"], hide_index=True)


def _decide(item_id: str, decision: str) -> None:
    reason = st.session_state.get("review_decision_reason", "").strip()
    if not reason:
        st.session_state["review_flash"] = ("error", "Give a reason before deciding.")
        return
    try:
        result = session.client().decide(item_id, decision, reason)
    except ApiError as exc:
        st.session_state["review_flash"] = ("error", exc.detail)
        if exc.status == 409:  # decided by someone else meanwhile: not open any more
            _drop(item_id)
        if exc.signed_out:
            session.sign_out(f"Signed out: {exc.detail}.")
        return
    _drop(item_id)
    word = "Approved (merged)" if decision == "approve" else "Rejected (kept apart)"
    st.session_state["review_flash"] = ("success", f"{word}: {result['item_id']}")


def _move(step: int, count: int, more: bool) -> None:
    state = _state()
    position = state["position"] + step
    if position >= count and more:  # decided items left the queue: the next page starts here
        state.update(offset=state["offset"] + count, position=0)
    elif position < 0 and state["offset"] > 0:
        state.update(offset=max(0, state["offset"] - PAGE_SIZE), position=PAGE_SIZE - 1)
    else:
        state["position"] = min(max(position, 0), max(count - 1, 0))


def _flash() -> None:
    if flash := st.session_state.pop("review_flash", None):
        (st.success if flash[0] == "success" else st.error)(flash[1])


def _names(item: dict[str, Any]) -> str:
    names = []
    for side in item["sides"]:
        record = (side["records"] or [{}])[0]
        names.append(" ".join(filter(None, (record.get("first_name"),
                                            record.get("last_name")))) or side["identity_id"])
    return " / ".join(names)


def render() -> None:
    st.title("Review queue")
    _queue(_filters())


@st.fragment
def _queue(filters: dict[str, Any]) -> None:
    """The item under review and its buttons: a decision or a move redraws only this part
    (which checks the key as a whole run does). The item is drawn from the queue's page,
    which carries both sides; its waterfall, read apart, is drawn last."""
    try:
        if not session.signed_in():
            st.rerun()
        page = _page(filters)
    except ApiError as exc:
        session.report(exc)
        return
    _flash()
    items, state = page["items"], _state()
    if not items:
        st.info("No open review items match." if any(filters.values())
                else "The queue is empty.")
        return
    position = state["position"] = min(state["position"], len(items) - 1)
    item = items[position]
    st.caption(f"Item {state['offset'] + position + 1} of {page['total']} open, oldest first")
    chart = _item(item)
    more = state["offset"] + len(items) < page["total"]
    _controls(item, len(items), more)
    with st.expander("This page of the queue"):
        st.table([{"#": state["offset"] + n + 1, "reason": i["reason"],
                   "p": i["match_probability"], "who": _names(i)}
                  for n, i in enumerate(items)], hide_index=True)
    try:
        detail = _detail(page, item["item_id"])
    except ApiError as exc:
        session.report(exc)
        return
    with chart:
        _waterfall(detail)
    if position + 1 < len(items):
        _prefetch(page, items[position + 1]["item_id"])


def _item(item: dict[str, Any]) -> Any:
    """The pair and its evidence; returns the empty slot the waterfall goes in."""
    p = item.get("match_probability")
    st.subheader(f"{item['reason']}" + ("" if p is None else f" · p = {p:.3f}"))
    st.write(item["reason_text"])
    st.caption(f"item {item['item_id']} · queued {str(item['created_at'])[:19]}")
    left, right = st.columns(2)
    for column, side in zip((left, right), item["sides"], strict=False):
        _side(column, side)
    chart, evidence = st.columns([3, 2])
    with evidence:
        st.markdown("**Evidence**")
        show_evidence(item["evidence"])
    return chart.empty()


def _waterfall(item: dict[str, Any]) -> None:
    if item["waterfall"]:
        w = item["waterfall"]
        with st.container():
            st.altair_chart(waterfall(w["steps"], title=f"Match weight · model "
                                                         f"{w['model_version']}"),
                            width="stretch")
            st.caption(f"final probability {w['match_probability']:.3f} "
                       f"({w['match_weight']:+.2f} bits)")
    else:
        st.info(f"No waterfall: {item['waterfall_note']}")


def _controls(item: dict[str, Any], count: int, more: bool) -> None:
    item_id = item["item_id"]
    if session.may("reviewer"):
        st.text_input("Reason for the decision (kept for the next item)",
                      key="review_decision_reason",
                      placeholder="e.g. same person: same phone and birth date")
    buttons = st.columns(4)
    if session.may("reviewer"):
        buttons[0].button("Approve (A)", key="review_approve", type="primary", shortcut="A",
                          on_click=_decide, args=(item_id, "approve"))
        buttons[1].button("Reject (X)", key="review_reject", shortcut="X",
                          on_click=_decide, args=(item_id, "reject"))
    buttons[2].button("Previous (P)", key="review_previous", shortcut="P",
                      on_click=_move, args=(-1, count, more))
    buttons[3].button("Next (N)", key="review_next", shortcut="N",
                      on_click=_move, args=(1, count, more))


PAGE = View("Review queue", "review", render, icon=":material/fact_check:")
