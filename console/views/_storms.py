"""The storm picker the marketing and live pages share."""

from __future__ import annotations

from typing import Any

import streamlit as st

from stormops.console import session
from stormops.console.client import ApiError


def pick_storm(key: str, *, label: str = "Storm", experimented: bool = False
               ) -> dict[str, Any] | None:
    """A select box of the tenant's storms (newest first, `?storm=` preselects one, else with
    `experimented` the newest storm an experiment covers); the chosen storm, or None when the
    tenant has none (said on the page)."""
    try:
        storms = session.read("get", "/v1/storms")["storms"]
    except ApiError as exc:
        session.report(exc)
        return None
    if not storms:
        st.info("This tenant has no storm yet: load events (`stormops events load`) or run "
                "`stormops demo`.")
        return None
    ids = [s["storm_id"] for s in storms]
    wanted = st.query_params.get("storm")
    covered = [i for i, storm in enumerate(storms) if storm["experiments"]]
    index = ids.index(wanted) if wanted in ids else covered[0] if experimented and covered else 0
    by_id = {s["storm_id"]: s for s in storms}
    chosen = st.selectbox(label, ids, index=index, key=key,
                          format_func=lambda sid: _name(by_id[sid]))
    st.query_params["storm"] = chosen
    return by_id[chosen]


def _name(storm: dict[str, Any]) -> str:
    name = storm.get("name") or storm["storm_id"]
    return (f"{name} ({storm['storm_id']}) · {storm['journeys']:,} journeys, "
            f"{storm['converted']:,} converted")
