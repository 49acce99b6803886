"""The merge audit: merges and unmerges, one identity's history, and undo."""

from __future__ import annotations

import streamlit as st

from stormops.console import session
from stormops.console.client import ApiError
from stormops.console.views import View


def render() -> None:
    st.title("Merge audit")
    identity_id = st.text_input("Identity id", key="audit_identity")
    if not identity_id:
        return
    try:
        events = session.client().history(identity_id.strip())["events"]
    except ApiError as exc:
        session.report(exc)
        return
    st.dataframe([{k: e.get(k) for k in ("at", "kind", "actor", "reason", "event_id")}
                  for e in events], hide_index=True)


PAGE = View("Merge audit", "audit", render, icon=":material/history:")
