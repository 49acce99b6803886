"""Sign in with an API key: the key decides the tenant and what the console shows."""

from __future__ import annotations

import streamlit as st

from stormops.console import session
from stormops.console.client import ApiError
from stormops.console.views import View


def render() -> None:
    st.title("StormOps console")
    if notice := session.take_notice():
        st.warning(notice)
    with st.form("sign-in"):
        key = st.text_input("API key", type="password", key="sign_in_key",
                            help="`stormops keys create --tenant T --role reviewer` prints one")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            session.sign_in(key)
        except ApiError as exc:
            st.error(exc.detail)
            return
        st.rerun()
    st.caption(f"API: {session.api_url()}")


PAGE = View("Sign in", "sign-in", render, icon=":material/login:")
