"""Sign-in with an API key, and what the signed-in key's role may do.

The key's tenant and role come from the API (`GET /v1/me`) and are checked again on a run
of the app at most every ME_TTL_SECONDS (the API itself honours a revoked key for up to its
own key cache's 2 s), so a revoked key signs the console out within seconds, and any call the
API refuses with 401 signs out at once. Buttons for actions the API would refuse are never
drawn: pages ask `may(role)` first.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import streamlit as st

from stormops.console.client import ApiClient, ApiError
from stormops.core.settings import Settings

_KEY, _ME, _HTTP, _NOTICE, _CHECKED = "api_key", "me", "_http", "_notice", "_me_checked"
ME_TTL_SECONDS = 2.0  # how long a checked key is taken as still valid without asking again
READ_TTL_SECONDS = 15.0  # how stale a cached read may be (this console's writes clear it)


def api_url() -> str:
    """The API the console talks to (STORMOPS_API_URL)."""
    return Settings().api_url


class _SessionClient(ApiClient):
    """The session's client: a successful write empties the read cache (`wrote`), and any
    answer the signed-in key got counts as a check of that key (the API just accepted it),
    so the run that follows a decision does not ask `GET /v1/me` again."""

    def request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                json: Any = None) -> Any:
        answer = super().request(method, path, params=params, json=json)
        if self._key == st.session_state.get(_KEY):
            st.session_state[_CHECKED] = time.monotonic()
        if method != "GET":
            wrote()
        return answer


def client(key: str | None = None) -> ApiClient:
    """A client for the signed-in key (or `key`), sharing this session's connections."""
    if _HTTP not in st.session_state:
        st.session_state[_HTTP] = httpx.Client(timeout=30.0)
    return _SessionClient(api_url(), key or st.session_state[_KEY], st.session_state[_HTTP])


def read(call: str, *args: Any, **params: Any) -> Any:
    """`ApiClient.<call>(*args, **params)` for the signed-in key through a short-lived cache,
    so reruns and page switches do not ask the API again; `wrote()` empties it after a write.

    Example:
        >>> session.read("get", "/v1/storms")  # doctest: +SKIP
    """
    return _cached_call(client(), st.session_state[_KEY], call, args,
                        tuple(sorted(params.items())))


@st.cache_data(ttl=READ_TTL_SECONDS, max_entries=2048, show_spinner=False)
def _cached_call(_api: ApiClient, key: str, call: str, args: tuple[Any, ...],
                 params: tuple[tuple[str, Any], ...]) -> Any:
    """One cached answer per key, call and arguments (the key decides tenant and role)."""
    return getattr(_api, call)(*args, **dict(params))


def wrote() -> None:
    """This console changed the graph: cached reads are dropped so every page shows it."""
    _cached_call.clear()


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
    st.session_state[_CHECKED] = time.monotonic()
    return me


def sign_out(notice: str | None = None) -> None:
    """Forget the key; `notice` is shown on the sign-in page."""
    for name in (_KEY, _ME, _CHECKED):
        st.session_state.pop(name, None)
    if notice:
        st.session_state[_NOTICE] = notice


def signed_in() -> bool:
    """Whether a key is signed in and still accepted by the API (asked again when the last
    check is older than ME_TTL_SECONDS)."""
    if _KEY not in st.session_state:
        return False
    checked = st.session_state.get(_CHECKED)
    if _ME in st.session_state and checked is not None and (
            time.monotonic() - checked < ME_TTL_SECONDS):
        return True
    try:
        st.session_state[_ME] = client().me()
    except ApiError as exc:
        if exc.signed_out:
            sign_out(f"Signed out: {exc.detail}.")
            return False
        raise
    st.session_state[_CHECKED] = time.monotonic()
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
