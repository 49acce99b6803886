"""Sign in with an API key: the key decides the tenant and what the console shows."""

from __future__ import annotations

import streamlit as st

from stormops.console import session
from stormops.console.client import ApiError
from stormops.console.views import View


def _sign_in() -> None:
    """Before the run the click starts, so that run draws the first page at once."""
    try:
        session.sign_in(st.session_state.get("sign_in_key", ""))
    except ApiError as exc:
        st.session_state["sign_in_error"] = exc.detail


def render() -> None:
    st.title("StormOps console")
    if notice := session.take_notice():
        st.warning(notice)
    with st.form("sign-in"):
        st.text_input("API key", type="password", key="sign_in_key",
                      help="`stormops keys create --tenant T --role reviewer` prints one")
        st.form_submit_button("Sign in", type="primary", on_click=_sign_in)
    if error := st.session_state.pop("sign_in_error", None):
        st.error(error)
        return
    st.caption(f"API: {session.api_url()}")


PAGE = View("Sign in", "sign-in", render, icon=":material/login:")
