"""Storms, the experiment catalog and storm assignment, identity search and neighbourhood,
and the storm report, over HTTP: what the console reads; 404 for what does not exist."""

from __future__ import annotations

import httpx
from neo4j import Driver

from stormops.graph.journeys import JourneyGraph
from tests.api.conftest import TenantKeys


def h(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def _storm(driver: Driver, database: str, tenant: str) -> None:
    """Storm S-V hit 40 properties in 8 zips; two people with journeys in it, one of whom
    converted."""
    journeys = JourneyGraph(driver, database)
    journeys.upsert_storms(tenant, [{"storm_id": "S-V", "name": "Hail V", "date": "2026-04-02",
                                     "sii": 60, "properties": {
                                         f"P{i}": {"sii": 55, "zip": f"7500{i % 8}"}
                                         for i in range(40)}}])
    journeys.load_events(tenant, [
        {"event_id": "v1", "storm_id": "S-V", "ts": "2026-04-03T10:00:00",
         "channel": "door_knock", "play": "aggressive", "uplift": 0.4,
         "identifiers": {"email": "ann@example.com", "property_id": "P1"}},
        {"event_id": "v2", "kind": "conversion", "storm_id": "S-V", "revenue": 9000,
         "ts": "2026-04-05T10:00:00", "identifiers": {"email": "ann@example.com"}},
        {"event_id": "v3", "storm_id": "S-V", "ts": "2026-04-03T11:00:00", "channel": "sms",
         "identifiers": {"phone": "+12145550101", "property_id": "P1"}},
    ])


def test_storms_list_and_404(client: httpx.Client, keys: TenantKeys, driver: Driver,
                             settings) -> None:
    _storm(driver, settings.neo4j_database, keys.tenant)
    storms = client.get("/v1/storms", headers=h(keys.service)).json()["storms"]
    assert [s["storm_id"] for s in storms] == ["S-V"]
    assert (storms[0]["journeys"], storms[0]["converted"], storms[0]["revenue"],
            storms[0]["impacted_properties"]) == (2, 1, 9000.0, 40)
    assert client.get("/v1/storms/S-V", headers=h(keys.service)).json()["name"] == "Hail V"
    missing = client.get("/v1/storms/S-nope", headers=h(keys.service))
    assert missing.status_code == 404 and missing.json()["field"] == "storm_id"
    for path in ("/v1/reports/storms/S-nope", "/v1/reports/storms/S-nope?format=html"):
        assert client.get(path, headers=h(keys.service)).status_code == 404


def test_experiment_catalog_storm_assignment_and_report(client: httpx.Client, keys: TenantKeys,
                                                        driver: Driver, settings) -> None:
    _storm(driver, settings.neo4j_database, keys.tenant)
    rev, read = h(keys.reviewer), h(keys.service)
    catalog = client.get("/v1/experiments/templates", headers=read).json()["templates"]
    geo = next(t for t in catalog if t["template"] == "geo_split")
    assert geo["unit"] == "zip" and geo["variants"] == ["treatment", "control"]
    assert "channel" in next(t for t in catalog if t["template"] == "channel_holdout")["settings"]

    page = client.get("/v1/reports/storms/S-V", params={"format": "html"}, headers=read).text
    assert "No experiment ran in this storm" in page and "no mismatch" not in page

    exp = client.post("/v1/experiments", headers=rev, json={
        "template": "geo_split", "config": {"name": "geo V", "storm_id": "S-V"}}).json()[
        "experiment_id"]
    before = client.get(f"/v1/experiments/{exp}", headers=read).json()
    assert before["srm"] is None and {a["units"] for a in before["arms"].values()} == {0}
    assigned = client.post(f"/v1/experiments/{exp}/assignments/storm", headers=rev)
    assert assigned.status_code == 200, assigned.text
    assert sum(assigned.json()["properties"].values()) == 40
    assert sum(assigned.json()["units"].values()) == 8  # one unit per zip
    again = client.post(f"/v1/experiments/{exp}/assignments/storm", headers=rev, json={})
    assert again.json()["properties"] == assigned.json()["properties"]  # stable
    described = client.get(f"/v1/experiments/{exp}", headers=read).json()
    assert sum(a["properties"] for a in described["arms"].values()) == 40
    assert described["srm"]["observed"] == [described["arms"]["treatment"]["units"],
                                            described["arms"]["control"]["units"]]
    listed = client.get("/v1/experiments", params={"storm_id": "S-V"}, headers=read).json()
    assert [e["experiment_id"] for e in listed["experiments"]] == [exp]
    assert client.get("/v1/experiments", params={"storm_id": "S-x"},
                      headers=read).json()["experiments"] == []

    report = client.get("/v1/reports/storms/S-V", headers=read).json()
    assert report["storm"]["name"] == "Hail V" and report["srm"][0]["experiment"] == "geo V"
    html = client.get("/v1/reports/storms/S-V", params={"format": "html"}, headers=read)
    assert "attachment" not in html.headers["content-disposition"]
    assert "Lift, conversion-rate points" in html.text
    assert "Sample-ratio check of geo V" in html.text

    # what does not exist, and who may not
    assert client.post(f"/v1/experiments/{exp}/assignments/storm", headers=read).status_code == 403
    for bad in ("/v1/experiments/nope", "/v1/experiments/nope/lift"):
        resp = client.get(bad, headers=read)
        assert resp.status_code == 404 and resp.json()["field"] == "experiment_id"
    other = client.post(f"/v1/experiments/{exp}/assignments/storm", headers=rev,
                        json={"storm_id": "S-other"})
    assert other.status_code == 422 and other.json()["field"] == "storm_id"
    unplanned = client.post("/v1/experiments", headers=rev, json={
        "template": "holdout", "config": {"name": "h", "storm_id": "S-nope"}}).json()
    resp = client.post(f"/v1/experiments/{unplanned['experiment_id']}/assignments/storm",
                       headers=rev)
    assert resp.status_code == 404 and resp.json()["field"] == "storm_id"


def test_identity_search_and_neighbourhood(client: httpx.Client, keys: TenantKeys,
                                           driver: Driver, settings) -> None:
    _storm(driver, settings.neo4j_database, keys.tenant)
    read = h(keys.service)
    found = client.get("/v1/identities/search", params={"q": " Ann@Example.com "},
                       headers=read).json()
    ann = found["identity_id"]
    assert ann and found["matches"] == [{"identity_id": ann}]
    by_phone = client.get("/v1/identities/search", params={"q": "(214) 555-0101",
                                                           "type": "phone"}, headers=read).json()
    assert by_phone["identity_id"] not in (None, ann)
    none = client.get("/v1/identities/search", params={"q": "nobody@example.com"}, headers=read)
    assert none.status_code == 200 and none.json()["matches"] == []
    hood = client.get(f"/v1/identities/{ann}/neighbourhood", headers=read).json()
    assert {(i["type"], i["value"]) for i in hood["identifiers"]} >= {
        ("email", "ann@example.com")}
    assert all(0 < i["strength"] <= 1 for i in hood["identifiers"])
    [home] = hood["properties"]
    assert home["property_id"] == "p1" and home["zip"] == "75001"
    assert [r["identity_id"] for r in home["residents"]] == [by_phone["identity_id"]]
    assert hood["merged"] == []
    merge = client.post("/v1/merges", headers=h(keys.reviewer), json={
        "into": ann, "other": by_phone["identity_id"], "reason": "same person"})
    assert merge.status_code < 300, merge.text
    hood = client.get(f"/v1/identities/{ann}/neighbourhood", headers=read).json()
    assert [m["identity_id"] for m in hood["merged"]] == [by_phone["identity_id"]]
    assert client.get(f"/v1/identities/search?q={by_phone['identity_id']}",
                      headers=read).json()["identity_id"] == ann
    missing = client.get("/v1/identities/nope/neighbourhood", headers=read)
    assert missing.status_code == 404 and missing.json()["field"] == "identity_id"
    assert client.get("/v1/identities/search", headers=read).status_code == 422
