"""The tenant's merge log and merging over a reviewer's "not the same person"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import httpx

from tests.api.conftest import TenantKeys
from tests.api.test_endpoints import _link, _problem, h


def _pair(client: httpx.Client, keys: TenantKeys) -> tuple[str, str]:
    return tuple(_link(client, keys.service, {"email": f"{n}@example.com", "device_id": f"d-{n}"})
                 ["identity_id"] for n in "ab")


def test_the_merge_log_filters_by_actor_kind_and_time(
    client: httpx.Client, keys: TenantKeys, other_keys: TenantKeys
) -> None:
    rev = h(keys.reviewer)
    a, b = _pair(client, keys)
    merged = client.post("/v1/merges", json={"into": a, "other": b, "reason": "same"},
                         headers=rev).json()["event_id"]
    undone = client.post(f"/v1/merges/{merged}/undo", json={"reason": "wrong"},
                         headers=rev).json()["event_id"]
    events = client.get("/v1/merges", headers=h(keys.service)).json()["events"]
    assert [e["event_id"] for e in events] == [undone, merged]  # newest first
    merge = events[1]
    assert merge["undone_by"] == undone and merge["reason"] == "same"
    assert isinstance(merge["moved"], list) and any(  # objects, not JSON text
        moved["key"].endswith("|email|b@example.com") for moved in merge["moved"])

    def log(**params: object) -> list[str]:
        return [e["event_id"] for e in client.get("/v1/merges", params=params,
                                                  headers=rev).json()["events"]]

    actor = merge["actor"]
    assert log(kind="merge") == [merged] and log(kind="unmerge") == [undone]
    assert log(actor=actor) == [undone, merged] and log(actor="key:someone-else") == []
    now = datetime.now(UTC)
    assert log(since=(now - timedelta(hours=1)).isoformat(), actor=actor) == [undone, merged]
    assert log(since=(now + timedelta(hours=1)).isoformat()) == []
    assert log(until=(now - timedelta(hours=1)).isoformat()) == []
    assert log(limit=1) == [undone]
    assert client.get("/v1/merges", params={"limit": 1}, headers=rev).json()["next_offset"] == 1
    _problem(client.get("/v1/merges", params={"kind": "split"}, headers=rev), 422, "kind")
    _problem(client.get("/v1/merges", params={"since": now.isoformat(),
                                              "until": now.isoformat()}, headers=rev),
             422, "since")
    _problem(client.get("/v1/merges", params={"since": "yesterday"}, headers=rev), 422, "since")
    # any offset ISO 8601 allows is compared in UTC (the graph's own range stops at 18 hours)
    far = (now - timedelta(hours=1)).astimezone(timezone(timedelta(hours=-20, minutes=-22)))
    assert log(since=far.isoformat(), actor=actor) == [undone, merged]
    _problem(client.get("/v1/merges", params={"until": "9999-12-31T23:00:00-20:00"},
                        headers=rev), 422, "until")
    assert client.get("/v1/merges", headers=h(other_keys.reviewer)).json()["events"] == []


def test_merging_a_pair_kept_apart_needs_an_explicit_override(
    client: httpx.Client, keys: TenantKeys
) -> None:
    rev = h(keys.reviewer)
    a, b = _pair(client, keys)
    _link(client, keys.service, {"email": "a@example.com", "device_id": "d-b"})
    [item] = client.get("/v1/review", headers=rev).json()["items"]
    client.post(f"/v1/review/{item['item_id']}", json={"decision": "reject",
                                                        "reason": "twins"}, headers=rev)
    refused = _problem(client.post("/v1/merges", json={"into": a, "other": b, "reason": "x"},
                                   headers=rev), 409, "override_cannot_link")
    assert "different people" in refused["detail"]
    assert client.get(f"/v1/identities/{b}", headers=rev).json()["status"] == "active"
    merged = client.post("/v1/merges", json={"into": a, "other": b, "reason": "proof: same SSN",
                                             "override_cannot_link": True}, headers=rev)
    assert merged.status_code == 201
    [event] = client.get("/v1/merges", headers=rev).json()["events"]
    assert event["evidence"]["override_cannot_link"] is True
    assert event["evidence"]["overridden"][0]["item_id"] == item["item_id"]
