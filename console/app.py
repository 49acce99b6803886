"""The StormOps console: `streamlit run console/app.py` (or `stormops console`).

Signed out, the only page is the sign-in. Signed in, the navigation lists the pages the
key's role may see; adding a page is one module in `console/views/` and one line in PAGES.
"""

from __future__ import annotations

import streamlit as st

from stormops.console import session
from stormops.console.client import ApiError
from stormops.console.views import (
    View,
    attribution,
    audit,
    cockpit,
    experiments,
    incrementality,
    mix,
    profile,
    review,
    signin,
)

PAGES: list[View] = [
    review.PAGE,
    audit.PAGE,
    profile.PAGE,
    experiments.PAGE,
    incrementality.PAGE,
    attribution.PAGE,
    mix.PAGE,
    cockpit.PAGE,
]


def _page(view: View, default: bool = False) -> st.Page:
    return st.Page(view.render, title=view.title, url_path=view.url_path, icon=view.icon,
                   default=default)


def _sidebar() -> None:
    me = session.me()
    with st.sidebar:
        st.markdown(f"**{me['tenant']}** · {me['role']}")
        if st.button("Sign out", key="sign_out"):
            session.sign_out("Signed out.")
            st.rerun()


def main() -> None:
    st.set_page_config(page_title="StormOps console", page_icon=":material/storm:",
                       layout="wide")
    try:
        signed_in = session.signed_in()
    except ApiError as exc:  # the API is down or failing: say so, keep the key
        st.error(exc.detail)
        return
    if not signed_in:
        st.navigation([_page(signin.PAGE, default=True)], position="hidden").run()
        return
    visible = [view for view in PAGES if session.may(view.role)]
    sections: dict[str, list[st.Page]] = {}
    for n, view in enumerate(visible):
        sections.setdefault(view.section, []).append(_page(view, default=n == 0))
    _sidebar()
    st.navigation(sections).run()


main()
