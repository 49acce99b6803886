"""Roles and keys: a reader reads and never writes; admins list and revoke their tenant's keys."""

from __future__ import annotations

import time

import httpx
from neo4j import Driver

from stormops.api.deps import KEY_CACHE_SECONDS
from stormops.graph.api_keys import create_api_key
from tests.api.conftest import TenantKeys
from tests.api.test_endpoints import _problem, h


def test_a_reader_reads_every_get_and_writes_nothing(
    client: httpx.Client, keys: TenantKeys, driver: Driver, settings
) -> None:
    reader = h(create_api_key(driver, settings.neo4j_database, keys.tenant, "reader"))
    made = client.post("/v1/records", json={"email": "ro@x.co"}, headers=h(keys.service)).json()
    identity = made["identity_id"]
    for path in (f"/v1/identities/{identity}", f"/v1/identities/{identity}/history",
                 f"/v1/identities/{identity}/profile", f"/v1/identities/{identity}/journeys",
                 "/v1/review", "/v1/profiles/config", "/v1/attribution/config"):
        assert client.get(path, headers=reader).status_code == 200, path
    assert client.post("/v1/resolve", json={"type": "email", "value": "ro@x.co"},
                       headers=reader).json()["identity_id"] == identity
    writes = [("POST", "/v1/records", {"email": "new@x.co"}),
              ("POST", "/v1/events", {"event_id": "e1", "storm_id": "S", "channel": "sms",
                                      "ts": "2024-01-01T00:00:00", "identity_id": identity}),
              ("POST", "/v1/merges", {"into": identity, "other": identity, "reason": "r"}),
              ("PUT", "/v1/profiles/config", {"channels": ["sms"]}),
              ("DELETE", f"/v1/identities/{identity}", None),
              ("GET", "/v1/keys", None)]
    for method, path, body in writes:
        _problem(client.request(method, path, json=body, headers=reader), 403)
    assert client.get(f"/v1/identities/{identity}", headers=reader).json()["identity_id"] == (
        identity)


def test_admins_list_and_revoke_keys_within_seconds(
    client: httpx.Client, keys: TenantKeys, other_keys: TenantKeys, driver: Driver, settings
) -> None:
    admin = h(create_api_key(driver, settings.neo4j_database, keys.tenant, "admin", "ops"))
    listed = client.get("/v1/keys", headers=admin).json()["keys"]
    assert {k["role"] for k in listed} == {"service", "reviewer", "admin"}
    assert all(set(k) == {"key_id", "role", "label", "created_at", "revoked_at"}
               for k in listed)
    assert keys.service.split("_")[2] not in str(listed), "no secret is ever listed"
    service_id = keys.service.split("_")[1]
    assert client.get("/v1/review", headers=h(keys.service)).status_code == 200  # cached now

    revoked = client.delete(f"/v1/keys/{service_id}", headers=admin).json()
    assert revoked["key_id"] == service_id and revoked["revoked_at"]
    # Every worker drops it once its cache entry lapses; one worker here, so at once, and
    # never later than the cache's lifetime (KEY_CACHE_SECONDS) plus a margin for the load.
    deadline = time.monotonic() + KEY_CACHE_SECONDS + 5
    while client.get("/v1/review", headers=h(keys.service)).status_code != 401:
        assert time.monotonic() < deadline, "a revoked key still works"
        time.sleep(0.2)
    again = client.get("/v1/keys", headers=admin).json()["keys"]
    assert [k["revoked_at"] is not None for k in again if k["key_id"] == service_id] == [True]
    # Another tenant's key id, and an unknown one, are not found.
    _problem(client.delete(f"/v1/keys/{other_keys.service.split('_')[1]}", headers=admin),
             404, "key_id")
    _problem(client.delete("/v1/keys/nope", headers=admin), 404, "key_id")
    _problem(client.get("/v1/keys", headers=h(keys.reviewer)), 403)
