"""GET /v1/me: the console's sign-in learns the key's tenant and role from it."""

from __future__ import annotations

import httpx
from neo4j import Driver

from stormops.graph.api_keys import create_api_key
from tests.api.conftest import TenantKeys
from tests.api.test_endpoints import _problem, h


def test_me_names_the_tenant_and_the_roles_the_key_holds(
    client: httpx.Client, keys: TenantKeys, driver: Driver, settings
) -> None:
    reader = create_api_key(driver, settings.neo4j_database, keys.tenant, "reader")
    seen = client.get("/v1/me", headers=h(reader)).json()
    assert seen["tenant"] == keys.tenant and seen["role"] == "reader"
    assert seen["roles"] == ["reader"] and seen["actor"] == f"key:{seen['key_id']}"
    assert reader.split("_")[2] not in str(seen), "the secret is never echoed"
    reviewer = client.get("/v1/me", headers=h(keys.reviewer)).json()
    assert reviewer["roles"] == ["reader", "service", "reviewer"]


def test_me_refuses_a_missing_unknown_or_revoked_key(
    client: httpx.Client, keys: TenantKeys, driver: Driver, settings
) -> None:
    _problem(client.get("/v1/me"), 401)
    _problem(client.get("/v1/me", headers=h("sk_nope_nope")), 401)
    admin = create_api_key(driver, settings.neo4j_database, keys.tenant, "admin")
    service_id = keys.service.split("_")[1]
    assert client.delete(f"/v1/keys/{service_id}", headers=h(admin)).status_code == 200
    _problem(client.get("/v1/me", headers=h(keys.service)), 401)
