"""Sign-in with an API key, and what the signed-in key's role may do.

The key's tenant and role come from the API (`GET /v1/me`) and are checked again on every
run of the app, so a revoked key signs the console out at its next interaction. Buttons for
actions the API would refuse are never drawn: pages ask `may(role)` first.
"""

from __future__ import annotations

from typing import Any

import httpx
import streamlit as st

from stormops.console.client import ApiClient, ApiError
from stormops.core.settings import Settings

_KEY, _ME, _HTTP, _NOTICE = "api_key", "me", "_http", "_notice"


def api_url() -> str:
    """The API the console talks to (STORMOPS_API_URL)."""
    return Settings().api_url


def client(key: str | None = None) -> ApiClient:
    """A client for the signed-in key (or `key`), sharing this session's connections."""
    if _HTTP not in st.session_state:
        st.session_state[_HTTP] = httpx.Client(timeout=30.0)
    return ApiClient(api_url(), key or st.session_state[_KEY], st.session_state[_HTTP])


def sign_in(key: str) -> dict[str, Any]:
    """Check `key` with the API and remember it; returns the key's tenant and role.

    Raises:
        ApiError: the key is unknown or revoked, or the API cannot be reached.
    """
    key = key.strip()
    if not key:
        raise ApiError(422, "enter an API key", "api_key")
    me = client(key).me()
    st.session_state[_KEY], st.session_state[_ME] = key, me
    return me


def sign_out(notice: str | None = None) -> None:
    """Forget the key; `notice` is shown on the sign-in page."""
    for name in (_KEY, _ME):
        st.session_state.pop(name, None)
    if notice:
        st.session_state[_NOTICE] = notice


def signed_in() -> bool:
    """Whether a key is signed in and still accepted by the API (checked now)."""
    if _KEY not in st.session_state:
        return False
    try:
        st.session_state[_ME] = client().me()
    except ApiError as exc:
        if exc.signed_out:
            sign_out(f"Signed out: {exc.detail}.")
            return False
        raise
    return True


def me() -> dict[str, Any]:
    """The signed-in key: tenant, role, roles (the roles it includes), key_id, actor."""
    return st.session_state[_ME]


def may(role: str) -> bool:
    """Whether the signed-in key's role includes `role` (reader < service < reviewer < admin)."""
    return _ME in st.session_state and role in st.session_state[_ME]["roles"]


def take_notice() -> str | None:
    """The message left by the last sign-out, once."""
    return st.session_state.pop(_NOTICE, None)


def report(exc: ApiError) -> None:
    """Show an API error on the page; an unknown or revoked key signs out at once."""
    if exc.signed_out:
        sign_out(f"Signed out: {exc.detail}.")
        st.rerun()
    st.error(exc.detail)
