"""POST /v1/records with a tenant matching model: online probabilistic linking over HTTP."""

from __future__ import annotations

import json

import httpx

from tests.api.conftest import TenantKeys
from tests.api.test_endpoints import _problem, h


def test_records_are_matched_with_the_tenant_model(
    client: httpx.Client, keys: TenantKeys, other_keys: TenantKeys, with_model: str
) -> None:
    svc = h(keys.service)
    first = {"record_id": "web-1", "first_name": "Maria", "last_name": "Lopez",
             "dob": "1975-06-02", "email": "maria.lopez@example.com", "zip": "75201"}
    made = client.post("/v1/records", json=first, headers=svc).json()
    assert made["outcome"] == "created" and made["record_id"] == "web-1"
    # Another channel: a nickname-free typo in the surname, same birth date and email.
    second = {"record_id": "call-7", "first_name": "MARIA", "last_name": "Lopes",
              "dob": "06/02/1975", "email": " Maria.Lopez@Example.com"}
    linked = client.post("/v1/records", json=second, headers=svc).json()
    assert (linked["outcome"], linked["identity_id"]) == ("linked", made["identity_id"])
    again = client.post("/v1/records", json=second, headers=svc).json()
    assert again["outcome"] == "unchanged"
    # A housemate: same address and surname, different person.
    spouse = {"record_id": "door-3", "first_name": "Jorge", "last_name": "Lopez",
              "dob": "1972-01-19", "zip": "75201", "phone": "214-555-0188"}
    assert client.post("/v1/records", json=spouse, headers=svc).json()["identity_id"] != (
        made["identity_id"])

    profile = client.get(f"/v1/identities/{made['identity_id']}", headers=svc).json()
    by_id = {r["record_id"]: r for r in profile["records"]}
    assert set(by_id) == {"web-1", "call-7"}
    assert json.loads(by_id["call-7"]["evidence"])["matched_record_id"] == "web-1"
    # Another tenant's key neither sees the identity nor matches against its records.
    _problem(client.get(f"/v1/identities/{made['identity_id']}",
                        headers=h(other_keys.service)), 404)


def test_bad_records_are_refused_by_field(
    client: httpx.Client, keys: TenantKeys, with_model: str
) -> None:
    svc = h(keys.service)
    _problem(client.post("/v1/records", json={"record_id": "x", "email": "nope"}, headers=svc),
             422, "email")
    _problem(client.post("/v1/records", json={"record_id": "y"}, headers=svc), 422,
             "identifiers")
    kept = client.post("/v1/records", json={"email": "a@b.co", "fax": "1", "dob": "31/31/1971"},
                       headers=svc).json()  # the null policy: linked without the bad date
    assert (kept["outcome"], kept["policy"], kept["extra"]) == ("created", "null", ["dob", "fax"])
    assert [p["field"] for p in kept["problems"]] == ["dob"]
    assert kept["problems"][0]["message"].startswith("expected a date")


def test_a_tenant_without_a_model_links_exactly_and_queues_close_pairs(
    client: httpx.Client, keys: TenantKeys
) -> None:
    svc, rev = h(keys.service), h(keys.reviewer)
    sarah = {"first_name": "Sarah", "last_name": "Connor", "dob": "03/14/1965",
             "email": "sarah.connor@cyberdyne.com", "phone": "(512) 555-0142",
             "address": "12 Oak Street", "zip": "78701", "Customer Ref": "C-17"}
    made = client.post("/v1/records", json=sarah, headers=svc).json()
    assert (made["outcome"], made["extra"]) == ("created", ["Customer Ref"])
    assert made["model_version"].startswith("prior-")
    again = client.post("/v1/records", json={"email": "Sarah.Connor@Cyberdyne.com"},
                        headers=svc).json()
    assert (again["outcome"], again["identity_id"]) == ("linked", made["identity_id"])
    # Entered again by someone else: same phone, birth date and address, another email.
    sara = {**sarah, "first_name": "Sara", "last_name": "Conner", "email": "sconner@gmail.com",
            "phone": "512-555-0142", "address": "12 Oak St."}
    queued = client.post("/v1/records", json=sara, headers=svc).json()
    assert queued["outcome"] == "queued" and queued["identity_id"] != made["identity_id"]
    [item] = client.get("/v1/review", headers=rev).json()["items"]
    assert sorted(item["identity_ids"]) == sorted([made["identity_id"], queued["identity_id"]])
    evidence = item["evidence"]  # an object, not JSON text
    assert evidence["reason"] == "close_pair" and evidence["comparisons"]["dob"]["level"] == "exact"
