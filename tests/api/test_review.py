"""The review queue as the console reads it: filters, both sides, evidence as objects, reason
codes with sentences, the live waterfall of a pair, and approvals whose merge was undone."""

from __future__ import annotations

import httpx
import pytest

from tests.api.conftest import TenantKeys
from tests.api.test_endpoints import _link, _problem, h

SARAH = {"first_name": "Sarah", "last_name": "Connor", "dob": "03/14/1965",
         "email": "sarah.connor@cyberdyne.com", "phone": "(512) 555-0142",
         "address": "12 Oak Street", "zip": "78701"}
# Entered again by someone else: same phone, birth date and address, another email.
SARA = {**SARAH, "first_name": "Sara", "last_name": "Conner", "email": "sconner@gmail.com",
        "phone": "512-555-0142", "address": "12 Oak St."}


def _seed(client: httpx.Client, keys: TenantKeys) -> dict[str, dict]:
    """A close pair scored by the prior (with records) and a record whose identifiers split
    between two identities (no scored pair); returns the open items by reason."""
    _link(client, keys.service, SARAH)
    assert _link(client, keys.service, SARA)["outcome"] == "queued"
    for n in "ab":
        _link(client, keys.service, {"email": f"{n}@example.com", "device_id": f"d-{n}"})
    assert _link(client, keys.service, {"email": "a@example.com", "device_id": "d-b"})[
        "outcome"] == "queued"
    page = client.get("/v1/review", headers=h(keys.reviewer)).json()
    assert page["total"] == 2 and page["next_offset"] is None
    return {item["reason"]: item for item in page["items"]}


def test_items_carry_both_sides_reason_codes_and_filter(
    client: httpx.Client, keys: TenantKeys
) -> None:
    rev = h(keys.reviewer)
    items = _seed(client, keys)
    close, split = items["close_pair"], items["split_identifiers"]
    assert close["reason_text"].startswith("A new record is close")
    assert close["evidence"]["comparisons"]["dob"]["level"] == "exact"  # an object
    assert 0 < close["match_probability"] < 1 and split["match_probability"] is None
    names = {r["first_name"] for side in close["sides"] for r in side["records"]}
    assert names == {"sarah", "sara"} or names == {"Sarah", "Sara"}
    assert [s["identity_id"] for s in close["sides"]] == close["identity_ids"]
    assert all(s["identifiers"] and s["record_count"] == 1 for s in close["sides"])
    assert close["undone"] is False and close["event_ids"] == []

    def ids(**params: object) -> list[str]:
        return [i["item_id"] for i in client.get("/v1/review", params=params,
                                                 headers=rev).json()["items"]]

    assert ids(reason="close_pair") == [close["item_id"]]
    assert ids(reason="split_identifiers") == [split["item_id"]]
    assert ids(identity_id=split["identity_ids"][1]) == [split["item_id"]]
    p = close["match_probability"]
    assert ids(min_probability=round(max(p - 0.01, 0.0), 4),
               max_probability=round(min(p + 0.01, 1.0), 4)) == [close["item_id"]]
    assert ids(min_probability=round(min(p + 0.01, 1.0), 4)) == []
    _problem(client.get("/v1/review", params={"reason": "vibes"}, headers=rev), 422, "reason")
    _problem(client.get("/v1/review", params={"min_probability": 0.9, "max_probability": 0.1},
                        headers=rev), 422, "min_probability")
    _problem(client.get("/v1/review", params={"max_probability": 2}, headers=rev), 422,
             "max_probability")
    reasons = client.get("/v1/review/reasons", headers=rev).json()
    assert reasons["close_pair"] == close["reason_text"]


def test_one_item_has_its_live_waterfall(
    client: httpx.Client, keys: TenantKeys, other_keys: TenantKeys
) -> None:
    items = _seed(client, keys)
    close = client.get(f"/v1/review/{items['close_pair']['item_id']}",
                       headers=h(keys.service)).json()
    steps, stored = close["waterfall"]["steps"], close["evidence"]
    assert [s["kind"] for s in (steps[0], steps[-1])] == ["prior", "final"]
    assert sorted(s["label"] for s in steps[1:-1]) == sorted(stored["comparisons"])
    for before, step in zip(steps, steps[1:-1], strict=False):
        assert step["start"] == pytest.approx(before["end"])
        assert step["end"] == pytest.approx(step["start"] + step["weight"])
        assert step["level"] == stored["comparisons"][step["label"]]["level"]
    # scored now with the same (prior) model, it says what the queue stored
    assert close["waterfall"]["match_weight"] == pytest.approx(stored["match_weight"], abs=0.01)
    assert close["waterfall"]["model_version"] == stored["model_version"]
    split = client.get(f"/v1/review/{items['split_identifiers']['item_id']}",
                       headers=h(keys.service)).json()
    assert split["waterfall"] is None and "no scored pair" in split["waterfall_note"]
    _problem(client.get("/v1/review/nope", headers=h(keys.service)), 404, "item_id")
    _problem(client.get(f"/v1/review/{close['item_id']}", headers=h(other_keys.service)), 404)


def test_an_approval_says_when_its_merge_was_undone(
    client: httpx.Client, keys: TenantKeys
) -> None:
    rev = h(keys.reviewer)
    split = _seed(client, keys)["split_identifiers"]
    decided = client.post(f"/v1/review/{split['item_id']}",
                          json={"decision": "approve", "reason": "same"}, headers=rev).json()
    [event] = decided["event_ids"]
    [approved] = client.get("/v1/review", params={"status": "approved"}, headers=rev).json()[
        "items"]
    assert (approved["undone"], approved["event_ids"]) == (False, [event])
    assert [i["reason"] for i in client.get("/v1/review", headers=rev).json()["items"]] == [
        "close_pair"]  # the approved item left the open queue
    undo = client.post(f"/v1/merges/{event}/undo", json={"reason": "wrong"}, headers=rev)
    [approved] = client.get("/v1/review", params={"status": "approved"}, headers=rev).json()[
        "items"]
    assert approved["undone"] is True and approved["undone_by"] == [undo.json()["event_id"]]



def test_a_record_whose_conflict_was_rejected_is_not_reported_queued(
    client: httpx.Client, keys: TenantKeys
) -> None:
    rev = h(keys.reviewer)
    items = _seed(client, keys)
    for item in items.values():
        resp = client.post(f"/v1/review/{item['item_id']}",
                           json={"decision": "reject", "reason": "not the same"}, headers=rev)
        assert resp.status_code == 200, resp.text
    # The same split identifiers, and the same close person, sent again as new records.
    split = _link(client, keys.service, {"email": "a@example.com", "device_id": "d-b",
                                         "record_id": "again-split"})
    close = _link(client, keys.service, {**SARA, "record_id": "again-close"})
    assert (split["outcome"], close["outcome"]) == ("linked", "linked")
    assert client.get("/v1/review", headers=rev).json()["total"] == 0
