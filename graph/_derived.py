"""What follows a merge or an unmerge: the state derived from an identity's events.

An identity's journeys are computed from its events and its profile from its journeys
(`graph.profiles`), so when a merge moves identifiers from one identity to another, the events
follow them and both are recomputed, in the merge's transaction; an unmerge puts them back.
The identity graph calls these two functions and nothing else of journeys or profiles: a new
kind of derived state joins here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from neo4j import ManagedTransaction

from stormops.cypher import cypher
from stormops.graph._profiles import recompute_journeys, recompute_profiles
from stormops.graph._store import query_rows


def after_merge(tx: ManagedTransaction, tenant: str, event_id: str, into: str,
                other: str) -> None:
    """Inside a merge's transaction: move `other`'s events onto `into`'s journeys, note on
    the merge event which moved (for its unmerge), and recompute both profiles."""
    moved = query_rows(tx, "journey/move_events", tenant=tenant, into=into, other=other)
    if moved:
        tx.run(cypher("journey/record_moved_events"), tenant=tenant, event_id=event_id,
               moved_events=json.dumps(sorted(row["key"] for row in moved))).consume()
        recompute_journeys(tx, [j for row in moved
                                for j in (row["from_journey"], row["to_journey"])])
    recompute_profiles(tx, tenant, [into, other])


def after_unmerge(tx: ManagedTransaction, tenant: str, merge_event: Mapping[str, Any],
                  live: str | None, other: str) -> None:
    """Inside an unmerge's transaction: put the events the merge moved back on `other`'s
    journeys (those still on `live`, the survivor now), and recompute both profiles."""
    keys = json.loads(merge_event.get("moved_events") or "[]")
    if keys and live:
        moved = query_rows(tx, "journey/restore_events", tenant=tenant, other=other, keys=keys,
                           **{"from": live})
        recompute_journeys(tx, [j for row in moved
                                for j in (row["from_journey"], row["to_journey"])])
    recompute_profiles(tx, tenant, [i for i in (live, other) if i])
