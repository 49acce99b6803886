"""The identity / profile view: find a person by any identifier; their identifiers with link
strengths, a picture of their neighbourhood in the graph, journeys per storm on a timeline,
and the behavioral profile."""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from stormops.console import charts, session
from stormops.console.client import ApiError
from stormops.console.views import View

_TYPES = ["any", "email", "phone", "device_id", "national_id", "property_id", "identity_id"]


def layout(hood: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes and edges of the neighbourhood for `charts.network`: the identity in the
    middle, its identifiers on the upper half circle, its properties below with their other
    residents beyond them, merged-in identities on the sides."""
    me = hood["identity"]["identity_id"]
    nodes = [{"id": me, "x": 0.0, "y": 0.0, "kind": "identity", "label": me[:8]}]
    edges = []

    def arc(count: int, start: float, end: float, radius: float) -> list[tuple[float, float]]:
        steps = [start + (end - start) * (k + 1) / (count + 1) for k in range(count)]
        return [(radius * math.cos(a), radius * math.sin(a)) for a in steps]

    for ident, (x, y) in zip(hood["identifiers"], arc(len(hood["identifiers"]), 0.15 * math.pi,
                                                     0.85 * math.pi, 1.0), strict=True):
        node = f"{ident['type']}:{ident['value']}"
        nodes.append({"id": node, "x": x, "y": y, "kind": f"identifier ({ident['type']})",
                      "label": str(ident["value"])[:24]})
        edges.append({"source": node, "target": me, "relation": f"LINK {ident['method']}",
                      "strength": ident["strength"] or 0.0})
    for prop, (x, y) in zip(hood["properties"], arc(len(hood["properties"]), -0.3 * math.pi,
                                                   -0.7 * math.pi, 0.6), strict=True):
        node = f"property:{prop['property_id']}"
        nodes.append({"id": node, "x": x, "y": y, "kind": "property",
                      "label": prop["property_id"] + (f" ({prop['zip']})" if prop["zip"]
                                                      else "")})
        edges.append({"source": me, "target": node, "relation": prop["relation"],
                      "strength": 1.0})
        for resident, (rx, ry) in zip(prop["residents"], arc(
                len(prop["residents"]), math.atan2(y, x) - 0.35, math.atan2(y, x) + 0.35,
                1.15), strict=True):
            other = resident["identity_id"]
            nodes.append({"id": other, "x": rx, "y": ry, "kind": "other resident",
                          "label": other[:8]})
            edges.append({"source": other, "target": node, "relation": resident["relation"],
                          "strength": 1.0})
    for merged, (x, y) in zip(hood["merged"], arc(len(hood["merged"]), 0.9 * math.pi,
                                                   1.25 * math.pi, 1.1), strict=True):
        nodes.append({"id": merged["identity_id"], "x": x, "y": y, "kind": "merged in",
                      "label": merged["identity_id"][:8]})
        edges.append({"source": merged["identity_id"],
                      "target": merged["merged_into"] or me, "relation": "MERGED_INTO",
                      "strength": 1.0})
    return nodes, edges


def _search() -> str | None:
    """The search box; the identity id found, None before a search or when none is found."""
    with st.form("profile_search"):
        left, right = st.columns([3, 1])
        query = left.text_input("Any identifier", st.query_params.get("q", ""),
                                key="profile_query",
                                placeholder="an email, phone, device, property or identity id")
        kind = right.selectbox("Type", _TYPES, key="profile_type")
        st.form_submit_button("Find", type="primary")
    if not query.strip():
        return None
    st.query_params["q"] = query.strip()
    try:
        found = session.read("get", "/v1/identities/search", q=query.strip(),
                             type=None if kind == "any" else kind)
    except ApiError as exc:
        session.report(exc)
        return None
    if found["identity_id"] is None:
        st.info(f"No identity has the identifier {query.strip()!r}.")
    return found["identity_id"]


def _profile(profile: dict[str, Any]) -> None:
    cols = st.columns(4)
    cols[0].metric("Lifetime value", f"${profile.get('lifetime_value') or 0:,.2f}")
    cols[1].metric("Segment", profile.get("segment") or "—")
    cols[2].metric("Storms", profile.get("total_storms") or 0)
    cols[3].metric("Primary channel", profile.get("primary_channel") or "—")


def _journeys(journeys: list[dict[str, Any]]) -> None:
    st.subheader("Journeys per storm")
    if not journeys:
        st.caption("No journey yet.")
        return
    events = [{**e, "storm": j.get("storm_name") or j["storm_id"]}
              for j in journeys for e in j["events"]]
    st.altair_chart(charts.timeline(events), width="stretch")
    st.dataframe([{"storm": j.get("storm_name") or j["storm_id"], "touches": j["touches"],
                   "channels": " → ".join(j["channels"] or []), "converted": j["converted"],
                   "revenue": j["revenue"], "play": j["play"]} for j in journeys],
                 hide_index=True)


def render() -> None:
    st.title("Identity")
    identity_id = _search()
    if identity_id is None:
        return
    try:
        identity = session.read("identity", identity_id)
        hood = session.read("get", f"/v1/identities/{identity_id}/neighbourhood")
        profile = session.read("get", f"/v1/identities/{identity_id}/profile")
        journeys = session.read("get", f"/v1/identities/{identity_id}/journeys")["journeys"]
    except ApiError as exc:
        session.report(exc)
        return
    st.subheader(f"Identity {identity_id}")
    st.caption(f"status {identity.get('status')} · {len(identity['records'])} records · "
               f"{len(hood['merged'])} identities merged in")
    _profile(profile)
    left, right = st.columns([1, 1])
    with left:
        st.markdown("**Identifiers and link strengths**")
        st.dataframe([{"type": i["type"], "value": i["value"], "strength": i["strength"],
                       "method": i["method"]} for i in identity["identifiers"]],
                     hide_index=True, column_config={"strength": st.column_config.ProgressColumn(
                         "strength", min_value=0.0, max_value=1.0, format="%.3f")})
    with right:
        st.markdown("**Neighbourhood**")
        nodes, edges = layout(hood)
        st.altair_chart(charts.network(nodes, edges), width="stretch")
    _journeys(journeys)


PAGE = View("Identity", "identity", render, icon=":material/person_search:")
