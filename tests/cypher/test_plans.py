"""Queries that keep their cached plan (`CYPHER replan=skip`) plan as index seeks.

Keeping a plan is safe only when no statistic could make a better one: every node the query
starts from is found by a unique key or a hinted index, never by a scan or a hash join. Each
such query is planned here with parameters of the types the code sends (the planner plans
for the types), on the test server as it stands, which is nearly empty at the start of a run:
the state in which a scan looks cheapest.
"""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import pytest
from neo4j import Driver

from stormops.cypher import cypher

NOW = datetime(2024, 5, 1, tzinfo=UTC)
EVIDENCE = '{"email": "exact"}'

# Parameters of each kept-plan query, of the types the code sends.
PARAMETERS = {
    "keys/get_key": {"key_id": "k1"},
    "matching/claim_records": {"locks": ["t|lock"], "tenant": "t", "now": NOW, "rows": [
        {"key": "t|r1", "record_id": "r1", "props": {"first_name": "Ann"}, "extra": "{}",
         "line": 1}]},
    "matching/candidates": {"tenant": "t", "rows": [{"key": "t|r1", "blocks": ["b"] * 16}],
                            "keys": ["t|r1"], "max_candidates": 50, "max_members": 20},
    "identity/lock_identities": {"tenant": "t", "identity_ids": ["i1"]},
    "identity/read_owners": {"identifier_keys": ["t|email|a@x.org"], "property_keys": ["t|P1"]},
    "identity/lock_identifiers": {"tenant": "t", "identifiers": [
        {"key": "t|email|a@x.org", "type": "email", "value": "a@x.org"}]},
    "identity/lock_properties": {"tenant": "t", "now": NOW, "properties": [
        {"key": "t|P1", "property_id": "P1"}]},
    "identity/create_identities": {"tenant": "t", "now": NOW, "identities": [
        {"identity_id": "i1", "first_name": "Ann", "last_name": "Lee",
         "links": [{"key": "t|email|a@x.org", "evidence": EVIDENCE}]}]},
    "identity/link_identifiers": {"tenant": "t", "now": NOW, "identities": [
        {"identity_id": "i1", "links": [{"key": "t|email|a@x.org", "evidence": EVIDENCE}]}]},
    "matching/link_records": {"tenant": "t", "now": NOW, "links": [
        {"key": "t|r1", "identity_id": "i1", "strength": 0.98, "method": "model",
         "match_probability": 0.98, "match_weight": 6.1, "model_version": "v1",
         "evidence": EVIDENCE}]},
    "identity/tie_properties": {"tenant": "t", "ties": [
        {"identity_id": "i1", "key": "t|P1", "owns": True}]},
    "review/upsert_candidates": {"tenant": "t", "now": NOW, "items": [
        {"key": "t|k", "item_id": "item1", "evidence": EVIDENCE, "reason": "between_thresholds",
         "match_probability": 0.5, "identity_ids": ["i1", "i2"]}]},
    "identity/erasure_epoch": {"tenant": "t"},
    "journey/find_events": {"keys": ["t|E1"]},
    "journey/open_journeys": {"tenant": "t", "journeys": [
        {"journey_id": "i1|S1", "identity_id": "i1", "storm_id": "S1", "storm_key": "t|S1"}]},
    "journey/append_events": {"tenant": "t", "events": [
        {"key": "t|E1", "journey_id": "i1|S1", "storm_key": "t|S1", "property_key": "t|P1",
         "ts_s": 1714550400, "ts_ns": 0,
         "props": {"event_id": "E1", "kind": "touch", "channel": "door_knock"}}]},
    "journey/recompute_journeys": {"journey_ids": ["i1|S1"], "states": True},
    "profile/recompute_profiles": {"tenant": "t", "identity_ids": ["i1"], "now": NOW,
                                   "returning": False, "rules": [
        {"name": "vip", "min_ltv": 5000.0, "max_ltv": None, "min_conversions": None,
         "max_conversions": None, "min_storms": None, "max_storms": None,
         "min_inactive_days": None}]},
    "live/lock_storms": {"tenant": "t", "storms": [{"key": "t|S1", "storm_id": "S1"}]},
    "live/journey_states": {"tenant": "t", "journey_ids": ["i1|S1"]},
    "live/read_shares": {"keys": ["t|i1|S1"]},
    "live/write_shares": {"tenant": "t", "now": NOW, "shares": [
        {"key": "t|i1|S1", "journey_id": "i1|S1", "storm_id": "S1", "share": "{}",
         "fingerprint": [1.0, 0.0, 0.0, 1714550400000.0]}]},
    "live/write_storms": {"tenant": "t", "now": NOW, "storms": [
        {"key": "t|S1", "state": "{}", "summary": {
            "method": "markov", "events": 1, "conversions": 0, "revenue": 0.0, "spend": 1.2,
            "journeys": 1, "newest_ms": 1714550400000}}]},
    "profile/get_config": {"tenant": "t"},
    "attribution/get_config": {"tenant": "t"},
}
STARTS = ("NodeByLabelScan", "NodeIndexScan", "AllNodesScan", "NodeIndexContainsScan",
          "NodeIndexEndsWithScan", "DirectedRelationshipTypeScan", "NodeHashJoin",
          "ValueHashJoin", "LeftOuterHashJoin", "RightOuterHashJoin")


def _kept() -> set[str]:
    base = Path(str(files("cypher")))
    kept = set()
    for path in base.rglob("*.cypher"):
        body = [line for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("//")]
        if body and body[0].strip() == "CYPHER replan=skip":
            kept.add(str(path.relative_to(base).with_suffix("")))
    return kept


def _operators(plan: dict) -> list[str]:
    return [plan["operatorType"].split("@")[0],
            *(op for child in plan.get("children", []) for op in _operators(child))]


def test_every_query_that_keeps_its_plan_is_checked_here() -> None:
    assert _kept() == set(PARAMETERS)


@pytest.mark.parametrize("name", sorted(PARAMETERS))
def test_a_kept_plan_starts_from_index_seeks_only(driver: Driver, settings, name: str) -> None:
    summary = driver.execute_query(f"EXPLAIN {cypher(name)}", PARAMETERS[name],
                                   database_=settings.neo4j_database).summary
    operators = _operators(summary.plan)
    assert not [op for op in operators if op in STARTS], operators
    assert any("Seek" in op for op in operators), operators
