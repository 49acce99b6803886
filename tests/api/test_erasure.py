"""Erasure over HTTP: an admin forgets a person; other roles and a missing reason are refused."""

from __future__ import annotations

import httpx

from stormops.graph.api_keys import create_api_key


def test_admin_forgets_a_person(client: httpx.Client, keys, driver, settings) -> None:
    admin = {"X-API-Key": create_api_key(driver, settings.neo4j_database, keys.tenant, "admin")}
    service = {"X-API-Key": keys.service}
    linked = client.post("/v1/records", headers=service,
                         json={"record_id": "gone-1", "email": "gone@example.com"})
    assert linked.status_code == 200, linked.text
    identity_id = linked.json()["identity_id"]

    refused = client.delete(f"/v1/identities/{identity_id}", headers=service,
                            params={"reason": "asked"})
    assert refused.status_code == 403
    unreasoned = client.delete(f"/v1/identities/{identity_id}", headers=admin)
    assert unreasoned.status_code == 422 and unreasoned.json()["field"] == "reason"

    erased = client.delete(f"/v1/identities/{identity_id}", headers=admin,
                           params={"reason": "asked"})
    assert erased.status_code == 200, erased.text
    assert erased.json()["records"] == 1
    assert client.get(f"/v1/identities/{identity_id}", headers=service).status_code == 404
    again = client.delete(f"/v1/identities/{identity_id}", headers=admin,
                          params={"reason": "asked"})
    assert again.status_code == 404
