"""Experiments and reports over HTTP: roles, validation, tenant isolation, the HTML page."""

from __future__ import annotations

import httpx

from tests.api.conftest import TenantKeys


def h(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def test_experiment_lifecycle(client: httpx.Client, keys: TenantKeys,
                              other_keys: TenantKeys) -> None:
    rev = h(keys.reviewer)
    assert client.post("/v1/events", headers=h(keys.service), json={  # the storm exists
        "event_id": "e1", "storm_id": "S1", "ts": "2026-05-01T10:00:00",
        "channel": "door_knock", "identifiers": {"email": "a@example.com"}}).status_code < 300
    created = client.post("/v1/experiments", headers=rev, json={
        "template": "geo_split", "config": {"name": "geo", "storm_id": "S1"}})
    assert created.status_code == 201
    exp = created.json()["experiment_id"]
    props = [{"property_id": f"P{i}", "zip": f"75{i % 10:03d}"} for i in range(100)]
    assigned = client.post(f"/v1/experiments/{exp}/assignments", headers=rev,
                           json={"properties": [*props, {"property_id": "P-nozip"}]})
    body = assigned.json()
    assert sum(body["units"].values()) == 10 and sum(body["properties"].values()) == 100
    assert body["rejected"] == [{"position": 100, "reason": "zip: required by a geo design"}]
    lift = client.get(f"/v1/experiments/{exp}/lift", headers=h(keys.service)).json()
    assert set(lift["arms"]) == {"treatment", "control"} and lift["storm_id"] == "S1"
    page = client.get("/v1/reports/storms/S1", params={"format": "html"},
                      headers=h(keys.service))
    assert page.headers["content-type"].startswith("text/html") and "S1" in page.text
    report = client.get("/v1/reports/storms/S1", headers=h(keys.service)).json()
    assert report["experiments"][0]["experiment_id"] == exp
    # another tenant sees nothing of it
    assert client.get(f"/v1/experiments/{exp}/lift",
                      headers=h(other_keys.service)).status_code == 404
    assert client.get("/v1/reports/storms/S1",
                      headers=h(other_keys.service)).status_code == 404


def test_bad_definitions_and_roles(client: httpx.Client, keys: TenantKeys) -> None:
    rev = h(keys.reviewer)
    bad = client.post("/v1/experiments", headers=rev, json={
        "template": "holdout", "config": {"name": "h", "control_share": 3}})
    assert bad.status_code == 422 and bad.json()["field"] == "control_share"
    unknown = client.post("/v1/experiments", headers=rev, json={"template": "x", "config": {}})
    assert unknown.status_code == 422 and unknown.json()["field"] == "template"
    assert client.post("/v1/experiments", headers=h(keys.service), json={
        "template": "model_ab", "config": {"name": "m"}}).status_code == 403


def test_incremental_report_needs_an_experiment(client: httpx.Client, keys: TenantKeys) -> None:
    resp = client.get("/v1/reports/storms/S-none/incremental", headers=h(keys.service))
    assert resp.status_code == 404 and resp.json()["field"] == "storm_id"
