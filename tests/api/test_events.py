"""Events, profiles, journeys and targeting over HTTP against a real server and Neo4j:
events checked in the graph and the profile, refusals that write nothing, tenant isolation."""

from __future__ import annotations

import httpx
import pytest

from stormops.graph.api_keys import create_api_key
from tests.api.conftest import TenantKeys
from tests.graph.snapshot import snapshot


def h(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def _problem(resp: httpx.Response, status: int, field: str | None = None) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    body = resp.json()
    if field is not None:
        assert body["field"] == field, body
    assert "Traceback" not in resp.text and "MATCH" not in resp.text
    return body


def event(event_id: str, day: int = 1, kind: str = "touch", **extra) -> dict:
    body = {"event_id": event_id, "kind": kind, "storm_id": "S2024-HAIL-DFW",
            "ts": f"2024-05-{day:02d}T10:00:00Z", "identifiers": {"email": "jo@example.com"},
            **extra}
    if kind == "touch":
        body.setdefault("channel", "door_knock")
    return body


def _graph_state(driver, settings, tenant: str) -> tuple:
    records, _, _ = driver.execute_query(
        "RETURN COUNT { MATCH (t:Touchpoint) WHERE t.key STARTS WITH $prefix } AS events, "
        "COUNT { MATCH (p:Profile) WHERE p.tenant_id = $tenant AND p.ltv_rank IS NOT NULL } "
        "AS profiles", tenant=tenant, prefix=f"{tenant}|", database_=settings.neo4j_database)
    return snapshot(driver, settings.neo4j_database, tenant), records[0].data()


def test_an_event_lands_in_the_graph_and_the_profile(client: httpx.Client, keys: TenantKeys,
                                                     driver, settings) -> None:
    svc = h(keys.service)
    resp = client.post("/v1/events", json=event("e1", cost=18.0, sii=70.0), headers=svc)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["status"] == "recorded" and body["identity"] == "created"
    iid = body["identity_id"]
    assert body["profile"]["total_touches"] == 1 and body["profile"]["avg_sii_score"] == 70.0
    # the unknown email now resolves to the identity the event created
    assert client.post("/v1/resolve", json={"type": "email", "value": "JO@example.com"},
                       headers=svc).json()["identity_id"] == iid
    conv = client.post("/v1/events", json=event("e2", 4, "conversion", revenue=15_250.5),
                       headers=svc).json()
    assert conv["profile"]["lifetime_value"] == 15_250.5
    profile = client.get(f"/v1/identities/{iid}/profile", headers=svc).json()
    assert profile["total_conversions"] == 1 and profile["segment"] == "customer"
    assert profile["primary_channel"] == "door_knock" and profile["status"] == "active"
    assert profile["last_event_at"] == "2024-05-04T10:00:00Z"
    journeys = client.get(f"/v1/identities/{iid}/journeys", headers=svc).json()["journeys"]
    assert [e["event_id"] for e in journeys[0]["events"]] == ["e1", "e2"]
    assert journeys[0]["converted"] is True and journeys[0]["cost"] == 18.0
    records, _, _ = driver.execute_query(
        "MATCH (:Identity {identity_id: $iid})-[:JOURNEY]->(j:Journey)-[:HAS]->(t:Touchpoint) "
        "RETURN j.journey_id AS journey, collect(t.event_id) AS events",
        iid=iid, database_=settings.neo4j_database)
    assert records[0]["journey"] == f"{iid}|S2024-HAIL-DFW"
    assert sorted(records[0]["events"]) == ["e1", "e2"]


def test_batches_ignore_duplicates(client: httpx.Client, keys: TenantKeys) -> None:
    svc = h(keys.service)
    client.post("/v1/events", json=event("e1"), headers=svc)
    resp = client.post("/v1/events", json={"events": [
        event("e1"), event("e2", 2), event("e2", 3),
        event("e3", 3, identifiers={"phone": "214-555-0100"})]}, headers=svc)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert [r["status"] for r in body["results"]] == ["duplicate", "recorded", "duplicate",
                                                      "recorded"]
    assert (body["recorded"], body["duplicates"]) == (2, 2)
    first, _, _, phone = body["results"]
    assert first["identity_id"] == body["results"][1]["identity_id"]
    assert phone["identity_id"] != first["identity_id"] and phone["identity"] == "created"
    again = client.post("/v1/events", json=event("e2", 9, channel="sms"), headers=svc).json()
    assert again["status"] == "duplicate"
    assert again["profile"]["total_touches"] == 2  # e1 and e2, unchanged


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"events": [event("g1"), event("b1", channel="fax")]}, 422, "events.1.channel"),
    ({"events": [event("g1"), event("b1", identifiers={"email": "nope"})]}, 422,
     "events.1.identifiers.email"),
    ({"events": [event("g1"), event("b1", cost=-5)]}, 422, "events.1.cost"),
    ({"events": [event("g1"), {**event("b1"), "ts": "soon"}]}, 422, "events.1.ts"),
    ({"events": [event("g1"), event("b1", revenue=10.0)]}, 422, "events.1.revenue"),
    ({"events": [event("g1"), event("b1", fax="1")]}, 422, "events.1.fax"),
    ({"events": []}, 422, "events"),
    (event("b1", kind="refund"), 422, "kind"),
    (event("b1", identifiers={}), 422, "identifiers"),
    ({**event("b1"), "storm_id": ""}, 422, "storm_id"),
    ({k: v for k, v in event("b1").items() if k != "ts"}, 422, "ts"),
    (event("b1", ts="1970-01-01T00:00:00Z"), 422, "ts"),
    (event("b1", sii=101), 422, "sii"),
    ([event("b1")], 422, "body"),
])
def test_bad_events_are_refused_with_the_field_and_nothing_is_written(
    client: httpx.Client, keys: TenantKeys, driver, settings, body, status: int, field: str
) -> None:
    client.post("/v1/events", json=event("before"), headers=h(keys.service))
    before = _graph_state(driver, settings, keys.tenant)
    _problem(client.post("/v1/events", json=body, headers=h(keys.service)), status, field)
    assert _graph_state(driver, settings, keys.tenant) == before


def test_malformed_json_auth_and_unknown_identities(client: httpx.Client,
                                                    keys: TenantKeys) -> None:
    _problem(client.post("/v1/events", content=b'{"event_id": ', headers={
        **h(keys.service), "Content-Type": "application/json"}), 400, "body")
    by_id = {k: v for k, v in event("i1").items() if k != "identifiers"}
    _problem(client.post("/v1/events", json={**by_id, "identity_id": "nobody"},
                         headers=h(keys.service)), 404, "identity_id")
    _problem(client.post("/v1/events", json={**event("i1"), "identity_id": "nobody"},
                         headers=h(keys.service)), 422, "identifiers")
    _problem(client.post("/v1/events", json=event("x")), 401)
    _problem(client.get("/v1/identities"), 401)


def _load(client: httpx.Client, key: str, n: int) -> dict[str, float]:
    events, values = [], {}
    for i in range(n):
        who = {"email": f"p{i}@example.com"}
        storm = "S-A" if i % 2 else "S-B"
        events.append({**event(f"t{i}", identifiers=who), "storm_id": storm})
        if i % 3:
            values[who["email"]] = 1_000.0 * (i % 7) + 60_000 * (i % 2)
            events.append({**event(f"c{i}", 2, "conversion", identifiers=who,
                                   revenue=values[who["email"]]), "storm_id": storm})
    out = client.post("/v1/events", json={"events": events}, headers=h(key)).json()
    assert out["recorded"] == len(events)
    return values


def test_targeting_pages_filters_and_isolation(client: httpx.Client, keys: TenantKeys,
                                               other_keys: TenantKeys) -> None:
    values = _load(client, keys.service, 30)
    _load(client, other_keys.service, 4)
    svc = h(keys.service)

    def walk(**params) -> list[dict]:
        items, cursor = [], None
        while True:
            query = {**params, **({"cursor": cursor} if cursor else {})}
            page = client.get("/v1/identities", params=query, headers=svc)
            assert page.status_code == 200, page.text
            items += page.json()["items"]
            if not (cursor := page.json()["next_cursor"]):
                return items

    everyone = walk(limit=7)
    assert len(everyone) == 30
    ltv = [p["lifetime_value"] for p in everyone]
    assert ltv == sorted(ltv, reverse=True)
    assert sorted(ltv) == sorted(list(values.values()) + [0.0] * (30 - len(values)))
    big = walk(min_ltv=50_000, limit=4)
    assert [p["lifetime_value"] for p in big] == [v for v in ltv if v >= 50_000]
    assert all("S-A" in p["storms"] for p in walk(storm_id="S-A", min_ltv=1))
    assert len(walk(storm_id="S-A")) == 15
    customers = walk(segment="customer", limit=5)
    assert {p["segment"] for p in customers} == {"customer"}
    assert len(customers) == sum(1 for v in values.values())
    theirs = client.get("/v1/identities", headers=h(other_keys.service)).json()["items"]
    assert len(theirs) == 4
    assert {p["identity_id"] for p in theirs}.isdisjoint({p["identity_id"] for p in everyone})
    _problem(client.get(f"/v1/identities/{everyone[0]['identity_id']}/profile",
                        headers=h(other_keys.service)), 404, "identity_id")
    _problem(client.get(f"/v1/identities/{everyone[0]['identity_id']}/journeys",
                        headers=h(other_keys.service)), 404, "identity_id")
    _problem(client.get("/v1/identities", params={"cursor": "zzz"}, headers=svc), 422, "cursor")
    _problem(client.get("/v1/identities", params={"min_ltv": "-1"}, headers=svc), 422,
             "min_ltv")
    _problem(client.get("/v1/identities", params={"limit": "0"}, headers=svc), 422, "limit")


def test_merges_carry_journeys_and_profiles_over_http(client: httpx.Client,
                                                      keys: TenantKeys) -> None:
    svc, rev = h(keys.service), h(keys.reviewer)
    a = client.post("/v1/events", json=event("a1", revenue=3_000.0, kind="conversion"),
                    headers=svc).json()["identity_id"]
    b = client.post("/v1/events", json=event("b1", identifiers={"email": "b@example.com"},
                                             channel="sms"), headers=svc).json()["identity_id"]
    merged = client.post("/v1/merges", json={"into": a, "other": b, "reason": "same"},
                         headers=rev).json()["event_id"]
    profile = client.get(f"/v1/identities/{b}/profile", headers=svc).json()
    assert profile["identity_id"] == a and profile["total_touches"] == 1
    assert profile["lifetime_value"] == 3_000.0 and profile["primary_channel"] == "sms"
    client.post(f"/v1/merges/{merged}/undo", json={"reason": "no"}, headers=rev)
    assert client.get(f"/v1/identities/{a}/profile", headers=svc).json()["total_touches"] == 0
    assert client.get(f"/v1/identities/{b}/profile", headers=svc).json()["total_touches"] == 1


def test_config_is_read_by_services_and_changed_by_admins(
    client: httpx.Client, keys: TenantKeys, driver, settings
) -> None:
    svc = h(keys.service)
    config = client.get("/v1/profiles/config", headers=svc).json()
    assert "door_knock" in config["channels"]
    assert [r["name"] for r in config["segment_rules"]][0] == "high_value_repeat"
    rules = {"channels": [*config["channels"], "yard_sign"],
             "segment_rules": [{"name": "anyone"}]}
    _problem(client.put("/v1/profiles/config", json=rules, headers=h(keys.reviewer)), 403)
    admin = h(create_api_key(driver, settings.neo4j_database, keys.tenant, "admin"))
    _problem(client.put("/v1/profiles/config", json={"channels": ["Yard Sign"]},
                        headers=admin), 422, "channels.0")
    out = client.post("/v1/events", json=event("y1", channel="yard_sign"), headers=svc)
    _problem(out, 422, "channel")
    assert client.put("/v1/profiles/config", json=rules, headers=admin).status_code == 200
    out = client.post("/v1/events", json=event("y1", channel="yard_sign"), headers=svc).json()
    assert out["profile"]["segment"] == "anyone"
    assert out["profile"]["primary_channel"] == "yard_sign"


def test_storms_carry_sii_to_the_journeys(client: httpx.Client, keys: TenantKeys) -> None:
    svc = h(keys.service)
    resp = client.post("/v1/storms", json={"storms": [
        {"storm_id": "S2024-HAIL-DFW", "name": "2024 Hail - DFW", "date": "2024-05-01",
         "sii": 62.5, "properties": {"P-9": 88.0}}]}, headers=svc)
    assert resp.json() == {"written": 1}
    home = client.post("/v1/events", json=event(
        "s1", identifiers={"email": "h@example.com", "property_id": "P-9"}), headers=svc).json()
    away = client.post("/v1/events", json=event("s2"), headers=svc).json()
    assert home["profile"]["avg_sii_score"] == 88.0
    assert away["profile"]["avg_sii_score"] == 62.5
    _problem(client.post("/v1/storms", json={"storms": [{"storm_id": "S", "sii": 101}]},
                         headers=svc), 422, "storms.0.sii")
