"""The review queue: open merge candidates, oldest first, decided by reviewers."""

from __future__ import annotations

import streamlit as st

from stormops.console import session
from stormops.console.client import ApiError
from stormops.console.views import View

PAGE_SIZE = 20


def render() -> None:
    st.title("Review queue")
    try:
        page = session.client().review_queue(limit=PAGE_SIZE)
    except ApiError as exc:
        session.report(exc)
        return
    if not page["items"]:
        st.info("The queue is empty.")
        return
    st.dataframe([{"item": item["item_id"], "created": item["created_at"],
                   "identities": ", ".join(item["identity_ids"])} for item in page["items"]],
                 hide_index=True)


PAGE = View("Review queue", "review", render, icon=":material/fact_check:")
