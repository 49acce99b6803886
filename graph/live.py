"""Live attribution's state in the graph, so any API worker can answer for a storm.

Graph model:

    (:LiveStorm {key: tenant|storm_id, tenant_id, storm_id, state (JSON), version,
        updated_at, method, events, conversions, revenue, spend, journeys,
        newest_ms})-[:LIVE_OF]->(:Storm)
    (:LiveShare {key: tenant|journey_id, tenant_id, storm_id, journey_id, share (JSON),
        fingerprint [touches, conversions, revenue, last event ms], updated_at})
    (:StreamPartition {key: group|topic|partition, group, topic, partition, committed, end,
        lag, member, updated_at})              the consumer group's progress (not tenant data)

A storm's `state` is the sum of its journeys' shares (what each journey adds: counts, spend,
credit, chain transitions); `update_journeys` keeps it so. In one transaction it locks the
storms' live state, reads the journeys as they are now and the shares last written for them,
hands both to the caller's `compute` (which returns the new shares and storm states), and
writes the result. Locking before reading makes concurrent updaters of one storm take turns,
each seeing what the last one wrote; as every update derives a journey's share from the
journey itself, updating a journey twice, or in any order, leaves the same state.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from neo4j import ManagedTransaction

from stormops.cypher import cypher
from stormops.graph._identifiers import check_tenant
from stormops.graph._store import GraphStore, query_rows

__all__ = ["LiveStore", "ShareUpdate", "StormUpdate", "share_update", "storm_of"]

# compute(journeys, old shares, storm states) -> (new shares, new storm states):
#   journeys: rows of live/journey_states; old shares: journey_id -> share (absent if none);
#   storm states: storm_id -> state (None when new). New shares: journey_id -> ShareUpdate
#   (None share to delete); new storm states: storm_id -> StormUpdate.
ShareUpdate = tuple[dict[str, Any] | None, list[float] | None]  # share, fingerprint
StormUpdate = tuple[dict[str, Any], dict[str, Any]]  # state, summary properties
Compute = Callable[[list[dict], dict[str, dict], dict[str, dict | None]],
                   tuple[dict[str, ShareUpdate], dict[str, StormUpdate]]]


def storm_of(journey_id: str) -> str:
    """The storm of a journey id (identity_id|storm_id; identity ids are UUIDs)."""
    return journey_id.split("|", 1)[1]


def _update(tx: ManagedTransaction, tenant: str, journey_ids: list[str],
            compute: Compute, read: Mapping[str, dict] | None = None) -> dict[str, StormUpdate]:
    """The update under the storms' lock; `read` holds journeys this transaction has read
    already (as live/journey_states reads them), so only the others are read here."""
    storms = sorted({storm_of(j) for j in journey_ids})
    locked = query_rows(tx, "live/lock_storms", tenant=tenant,
                        storms=[{"key": f"{tenant}|{s}", "storm_id": s} for s in storms])
    states = {row["storm_id"]: json.loads(row["state"]) if row["state"] else None
              for row in locked}
    found = dict(read or {})
    missing = [j for j in journey_ids if j not in found]
    if missing:
        found.update((row["journey_id"], row) for row in query_rows(
            tx, "live/journey_states", tenant=tenant, journey_ids=missing))
    journeys = [found[j] for j in journey_ids if j in found]
    old = {row["journey_id"]: json.loads(row["share"]) for row in query_rows(
        tx, "live/read_shares", keys=[f"{tenant}|{j}" for j in journey_ids])}
    shares, updated = compute(journeys, old, states)
    now = datetime.now(UTC)
    if shares:
        rows = [{"key": f"{tenant}|{j}", "journey_id": j, "storm_id": storm_of(j),
                 "share": None if share is None else json.dumps(share, separators=(",", ":")),
                 "fingerprint": fingerprint}
                for j, (share, fingerprint) in sorted(shares.items())]
        tx.run(cypher("live/write_shares"), tenant=tenant, now=now, shares=rows).consume()
    if updated:
        rows = [{"key": f"{tenant}|{s}", "state": json.dumps(state, separators=(",", ":")),
                 "summary": summary} for s, (state, summary) in sorted(updated.items())]
        tx.run(cypher("live/write_storms"), tenant=tenant, now=now, storms=rows).consume()
    return updated


def share_update(tenant: str, compute: Compute) -> Callable[[ManagedTransaction, Any], list[str]]:
    """The live update as an event write's `after` step (`graph.journeys.After`): the shares
    of the journeys the write touched, in its transaction, so a batch of events and its part
    of the live state commit together. The step returns the storms whose state changed."""
    check_tenant(tenant)

    def after(tx: ManagedTransaction, result: Any) -> list[str]:
        ids = sorted({o.journey_id for o in result.outcomes if o.journey_id})
        return sorted(_update(tx, tenant, ids, compute, result.journeys)) if ids else []

    return after


class LiveStore(GraphStore):
    """Tenant-scoped live attribution state over one Neo4j database.

    Example:
        >>> store = LiveStore(driver, "neo4j")
        >>> store.read_storm("acme", "S2024-HAIL-DFW")["version"]
        118
    """

    def update_journeys(self, tenant: str, journey_ids: Sequence[str],
                        compute: Compute) -> dict[str, StormUpdate]:
        """Recompute the shares of these journeys and their storms' state, in one transaction
        (see the module docstring); returns the storms' new states."""
        check_tenant(tenant)
        ids = sorted(set(journey_ids))
        return self._write(_update, tenant, ids, compute) if ids else {}

    def read_storm(self, tenant: str, storm_id: str) -> dict[str, Any] | None:
        """{storm_id, name, state (decoded), version, updated_at}, or None before any event."""
        check_tenant(tenant)
        rows = self._rows("live/read_storm", {"tenant": tenant, "key": f"{tenant}|{storm_id}"})
        if not rows or rows[0]["state"] is None:
            return None
        return {**rows[0], "state": json.loads(rows[0]["state"])}

    def storm_version(self, tenant: str, storm_id: str) -> int | None:
        """The version of the storm's live state (bumped by every write), None before any."""
        check_tenant(tenant)
        rows = self._rows("live/storm_version", {"tenant": tenant,
                                                 "key": f"{tenant}|{storm_id}"})
        return rows[0]["version"] if rows else None

    def storm_journeys(self, tenant: str, storm_id: str) -> list[str]:
        """Every journey id of the storm."""
        check_tenant(tenant)
        return [row["journey_id"] for row in self._rows(
            "journey/storm_journeys", {"tenant": tenant, "storm_id": storm_id}, timeout=300)]

    def drifted_journeys(self, tenant: str, storm_id: str) -> list[str]:
        """Journeys whose share is missing or stale, and shares whose journey is gone."""
        check_tenant(tenant)
        return [row["journey_id"] for row in self._rows(
            "live/drifted_journeys", {"tenant": tenant, "storm_id": storm_id}, timeout=300)]

    def reset_storm(self, tenant: str, storm_id: str) -> int:
        """Drop the storm's live state and shares (before a rebuild); returns shares dropped."""
        check_tenant(tenant)
        rows = self._rows("live/reset_storm", {"tenant": tenant, "storm_id": storm_id,
                                               "key": f"{tenant}|{storm_id}"}, write=True)
        return rows[0]["deleted"] if rows else 0

    def write_progress(self, group: str, topic: str, member: str,
                       partitions: Mapping[int, Mapping[str, int]]) -> None:
        """Record where the consumer group stands on the partitions `member` holds."""
        rows = [{"partition": p, **dict(v)} for p, v in sorted(partitions.items())]
        if rows:
            self._rows("live/write_progress", {"group": group, "topic": topic, "member": member,
                                               "now": datetime.now(UTC), "partitions": rows},
                       write=True)

    def read_progress(self, group: str, topic: str) -> list[dict[str, Any]]:
        """The group's progress per partition: committed, end, lag, member, updated_at."""
        return self._rows("live/read_progress", {"group": group, "topic": topic})
