"""Every endpoint against a real server process and a real Neo4j: success, auth, roles,
tenant isolation, and hostile input that must change nothing."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from neo4j import Driver

from tests.api.conftest import TenantKeys, serve
from tests.graph.snapshot import snapshot

JO = {"record_id": "r1", "email": "Jo.Ray@Example.com", "phone": "(214) 555-0134",
      "first_name": "Jo", "last_name": "Ray", "dob": "1971-03-04", "property_id": "P-1",
      "address": "12 Oak Street", "zip": "75201"}


def h(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def _problem(resp: httpx.Response, status: int, field: str | None = None) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    body = resp.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert body["request_id"] == resp.headers["x-request-id"]
    assert "Traceback" not in resp.text and "MATCH" not in resp.text
    if field is not None:
        assert body["field"] == field, body
    return body


def _link(client: httpx.Client, key: str, record: dict) -> dict:
    resp = client.post("/v1/records", json=record, headers=h(key))
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_health_and_readiness(client: httpx.Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}


def test_auth_is_required_and_checked(client: httpx.Client) -> None:
    _problem(client.post("/v1/resolve", json={"type": "email", "value": "a@b.co"}), 401)
    _problem(client.post("/v1/resolve", json={"type": "email", "value": "a@b.co"},
                         headers=h("sk_0000_wrong")), 401)
    _problem(client.get("/v1/review", headers=h("not-a-key")), 401)


def test_service_keys_cannot_review_or_merge(client: httpx.Client, keys: TenantKeys) -> None:
    a = _link(client, keys.service, JO)["identity_id"]
    svc = h(keys.service)
    assert client.get("/v1/review", headers=svc).status_code == 200  # every role reads
    _problem(client.post("/v1/review/x", json={"decision": "reject", "reason": "r"},
                         headers=svc), 403)
    _problem(client.post("/v1/merges", json={"into": a, "other": a, "reason": "r"},
                         headers=svc), 403)
    _problem(client.post("/v1/merges/e/undo", json={"reason": "r"}, headers=svc), 403)


def test_link_then_resolve_single_and_batch(client: httpx.Client, keys: TenantKeys) -> None:
    first = _link(client, keys.service, JO)
    assert first["outcome"] == "created"
    again = _link(client, keys.service, {"email": " JO.RAY@example.com"})
    assert (again["identity_id"], again["outcome"]) == (first["identity_id"], "linked")
    iid = first["identity_id"]
    resp = client.post("/v1/resolve", json={"type": "phone", "value": "214.555.0134"},
                       headers=h(keys.service))
    assert resp.json()["identity_id"] == iid
    batch = [{"type": "email", "value": "jo.ray@example.com"},
             {"type": "phone", "value": "12"},
             {"type": "property_id", "value": "p-1"},
             {"type": "identity_id", "value": iid},
             {"type": "email", "value": "nobody@example.com"}]
    results = client.post("/v1/resolve", json={"identifiers": batch},
                          headers=h(keys.service)).json()["results"]
    assert [r["identity_id"] for r in results] == [iid, None, iid, iid, None]
    assert results[1]["error"].startswith("phone")


def test_resolve_bad_input(client: httpx.Client, keys: TenantKeys) -> None:
    svc = h(keys.service)
    _problem(client.post("/v1/resolve", json={"type": "fax", "value": "1"}, headers=svc),
             422, "type")
    _problem(client.post("/v1/resolve", json={"type": "email", "value": "x" * 300},
                         headers=svc), 422, "value")
    _problem(client.post("/v1/resolve", json={"type": "email", "value": "not-an-email"},
                         headers=svc), 422, "email")
    _problem(client.post("/v1/resolve", content=b'{"type": "email", "val', headers=svc),
             400, "body")
    _problem(client.post("/v1/resolve", json={"type": "email"}, headers=svc), 422, "body")
    over = [{"type": "email", "value": f"u{i}@example.com"} for i in range(1001)]
    _problem(client.post("/v1/resolve", json={"identifiers": over}, headers=svc),
             422, "identifiers")


def test_hostile_values_change_nothing(client: httpx.Client, keys: TenantKeys, driver,
                                       settings) -> None:
    _link(client, keys.service, JO)
    before = snapshot(driver, settings.neo4j_database, keys.tenant)
    svc = h(keys.service)
    hostile = "x' }) MATCH (n) DETACH DELETE n //"
    for type_ in ("device_id", "property_id", "identity_id", "national_id"):
        resp = client.post("/v1/resolve", json={"type": type_, "value": hostile}, headers=svc)
        assert resp.status_code in (200, 422)
        if resp.status_code == 200:
            assert resp.json()["identity_id"] is None
    refused = _problem(client.post("/v1/records", params={"invalid": "reject"},
                                   json={**JO, "email": "bad", "dob": "1971-13-45"},
                                   headers=svc), 422, "dob")
    assert [e["field"] for e in refused["errors"]] == ["dob", "email"]  # all, not the first
    _problem(client.post("/v1/records", json={**JO, "first_name": "y" * 257}, headers=svc),
             422, "first_name")
    _problem(client.post("/v1/records", json={}, headers=svc), 422, "identifiers")
    _problem(client.post("/v1/records", json={"email": "bad", "zip": "75201"}, headers=svc),
             422, "email")  # under the null policy too: nothing left to identify anyone
    _problem(client.post("/v1/records", params={"invalid": "drop"}, json=JO, headers=svc),
             422, "invalid")
    assert snapshot(driver, settings.neo4j_database, keys.tenant) == before
    weird = _link(client, keys.service, {"device_id": hostile})
    assert client.post("/v1/resolve", json={"type": "device_id", "value": hostile},
                       headers=svc).json()["identity_id"] == weird["identity_id"]


def test_profile_history_merge_and_undo(client: httpx.Client, keys: TenantKeys) -> None:
    a = _link(client, keys.service, JO)["identity_id"]
    b = _link(client, keys.service, {"email": "jr@example.com", "first_name": "Jo",
                                     "property_id": "P-2"})["identity_id"]
    profile = client.get(f"/v1/identities/{a}", headers=h(keys.service)).json()
    assert profile["identity_id"] == a and profile["status"] == "active"
    assert {i["type"] for i in profile["identifiers"]} >= {"email", "phone", "name_dob"}
    assert all(i["strength"] == 1.0 for i in profile["identifiers"])
    rev = h(keys.reviewer)
    merged = client.post("/v1/merges", json={"into": a, "other": b, "reason": "same"},
                         headers=rev)
    assert merged.status_code == 201
    event = merged.json()["event_id"]
    history = client.get(f"/v1/identities/{b}/history", headers=h(keys.service)).json()
    assert history["events"][0]["event_id"] == event
    assert history["events"][0]["actor"].startswith("key:")
    assert client.post("/v1/resolve", json={"type": "identity_id", "value": b},
                       headers=rev).json()["identity_id"] == a
    _problem(client.post("/v1/merges", json={"into": a, "other": b, "reason": "again"},
                         headers=rev), 409, "identity_id")
    _problem(client.post("/v1/merges", json={"into": a, "other": "nope", "reason": "x"},
                         headers=rev), 404, "identity_id")
    assert client.post(f"/v1/merges/{event}/undo", json={"reason": "wrong"},
                       headers=rev).status_code == 201
    _problem(client.post(f"/v1/merges/{event}/undo", json={"reason": "twice"}, headers=rev),
             409)
    assert client.post("/v1/resolve", json={"type": "email", "value": "jr@example.com"},
                       headers=rev).json()["identity_id"] == b
    _problem(client.get("/v1/identities/nope", headers=rev), 404, "identity_id")
    _problem(client.get("/v1/identities/nope/history", headers=rev), 404, "identity_id")


def test_review_queue_approve_and_reject(client: httpx.Client, keys: TenantKeys) -> None:
    svc, rev = h(keys.service), h(keys.reviewer)
    ids = [_link(client, keys.service, {"email": f"{n}@example.com", "device_id": f"d-{n}"})
           ["identity_id"] for n in "abcd"]
    assert _link(client, keys.service, {"email": "a@example.com", "device_id": "d-b"})[
        "outcome"] == "queued"
    assert _link(client, keys.service, {"email": "c@example.com", "device_id": "d-d"})[
        "outcome"] == "queued"
    page = client.get("/v1/review", params={"limit": 1}, headers=rev).json()
    assert len(page["items"]) == 1 and page["next_offset"] == 1
    first = page["items"][0]
    assert sorted(first["identity_ids"]) == sorted(ids[:2])
    assert first["evidence"]["kept_by"] in ids[:2]
    second = client.get("/v1/review", params={"offset": 1}, headers=rev).json()["items"][0]
    approved = client.post(f"/v1/review/{first['item_id']}",
                           json={"decision": "approve", "reason": "same person"}, headers=rev)
    assert approved.json()["status"] == "approved" and len(approved.json()["event_ids"]) == 1
    assert client.post("/v1/resolve", json={"type": "device_id", "value": "d-b"},
                       headers=svc).json()["identity_id"] == ids[0]
    rejected = client.post(f"/v1/review/{second['item_id']}",
                           json={"decision": "reject", "reason": "twins"}, headers=rev)
    assert rejected.json() == {"item_id": second["item_id"], "status": "rejected",
                               "event_ids": []}
    _problem(client.post(f"/v1/review/{second['item_id']}",
                         json={"decision": "approve", "reason": "changed my mind"},
                         headers=rev), 409, "item_id")
    _problem(client.post(f"/v1/review/{second['item_id']}", json={"decision": "maybe",
                                                                   "reason": "x"},
                         headers=rev), 422, "decision")
    assert client.get("/v1/review", headers=rev).json()["items"] == []
    assert len(client.get("/v1/review", params={"status": "rejected"},
                          headers=rev).json()["items"]) == 1
    # the rejected pair is not queued again by the same conflicting record
    _link(client, keys.service, {"email": "c@example.com", "device_id": "d-d"})
    assert client.get("/v1/review", headers=rev).json()["items"] == []


def test_tenants_are_isolated_on_every_route(
    client: httpx.Client, keys: TenantKeys, other_keys: TenantKeys
) -> None:
    a = _link(client, keys.service, JO)["identity_id"]
    b = _link(client, keys.service, {"email": "b@example.com", "device_id": "d-b"})["identity_id"]
    _link(client, keys.service, {"email": "jo.ray@example.com", "device_id": "d-b"})
    event = client.post("/v1/merges", json={"into": a, "other": b, "reason": "x"},
                        headers=h(keys.reviewer)).json()["event_id"]
    item = client.get("/v1/review", params={"status": "approved"}, headers=h(keys.reviewer))
    mine = client.get("/v1/review", params={"status": "open"}, headers=h(keys.reviewer))
    [item_id] = [i["item_id"] for i in mine.json()["items"] + item.json()["items"]]
    them, them_rev = h(other_keys.service), h(other_keys.reviewer)
    for body in ({"type": "email", "value": "jo.ray@example.com"},
                 {"type": "identity_id", "value": a},
                 {"type": "property_id", "value": "P-1"}):
        assert client.post("/v1/resolve", json=body, headers=them).json()["identity_id"] is None
    _problem(client.get(f"/v1/identities/{a}", headers=them), 404)
    _problem(client.get(f"/v1/identities/{a}/history", headers=them), 404)
    _problem(client.post("/v1/merges", json={"into": a, "other": b, "reason": "x"},
                         headers=them_rev), 404)
    _problem(client.post(f"/v1/merges/{event}/undo", json={"reason": "x"}, headers=them_rev),
             404)
    assert client.get("/v1/review", headers=them_rev).json()["items"] == []
    _problem(client.post(f"/v1/review/{item_id}", json={"decision": "reject", "reason": "x"},
                         headers=them_rev), 404)
    assert _link(client, other_keys.service, JO)["outcome"] == "created"


def test_request_ids_logs_and_metrics(client: httpx.Client, keys: TenantKeys) -> None:
    resp = client.post("/v1/resolve", json={"type": "email", "value": "a@b.co"},
                       headers={**h(keys.service), "X-Request-ID": "trace-123"})
    assert resp.headers["x-request-id"] == "trace-123"
    assert len(client.get("/healthz").headers["x-request-id"]) == 32
    metrics = client.get("/metrics").text
    assert 'stormops_http_requests_total{method="POST",route="/v1/resolve",status="200"}' in metrics
    assert 'stormops_neo4j_query_duration_seconds_count{query="identity/resolve_key"}' in metrics
    assert client.get("/openapi.json").json()["info"]["title"] == "StormOps Identity"


@pytest.mark.parametrize("path", ["/v1/resolve", "/v1/records", "/v1/merges/e/undo"])
def test_wrong_method_and_unknown_route_are_problems(client: httpx.Client, path: str) -> None:
    _problem(client.get(path), 405)
    _problem(client.get(path + "/nope/deeper"), 404)


def test_docs_work_offline_and_the_root_points_to_them(client: httpx.Client) -> None:
    root = client.get("/", follow_redirects=False)
    assert root.status_code in (307, 308) and root.headers["location"] == "/docs"
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        assert not re.search(r'(?:src|href)="https?://', html), page  # nothing from a CDN
        assets = re.findall(r'(?:src|href)="(/[^"]+)"', html)
        assert assets, page
        for asset in assets:
            assert client.get(asset).status_code == 200, asset


def test_serve_says_where_it_listens(driver: Driver, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with serve(log) as url:
        said = log.read_text()
    assert f"listening on {url} - docs at {url}/docs" in said
