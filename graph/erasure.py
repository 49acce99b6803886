"""Right to erasure: one person removed from a tenant, with an audit that names nobody.

A person is the live identity an id resolves to plus every identity merged into it. Their
records, identifiers, journeys and touchpoints, profile, review items and property ties go
in one transaction; attribution runs of their storms lose the person's credit; merge events
among their own identities go, and events shared with other identities keep only who, when
and why. The `Erasure` node left behind holds the actor, reason, time and counts. The tenant's
erasure count moves on, so loading the same identifiers again founds a new identity id
(`graph._ids`), never the erased one.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from neo4j import ManagedTransaction

from stormops.core.errors import InvalidInput, NotFound
from stormops.cypher import cypher
from stormops.graph._identifiers import check_tenant
from stormops.graph._store import GraphStore, query_rows

COUNTS = ("records", "identifiers", "journeys", "touchpoints", "results", "profiles",
          "review_items", "merge_events", "properties", "identities")


class Erasure(GraphStore):
    """Erasing people from a tenant.

    Example:
        >>> Erasure(driver, "neo4j").forget("acme", iid, "key:ab12", "customer request")
        {'event_id': '...', 'records': 3, 'identifiers': 4, ...}
    """

    def forget(self, tenant: str, identity_id: str, actor: str, reason: str) -> dict[str, Any]:
        """Remove the person an identity id stands for, in one transaction.

        Returns:
            {event_id, at, and the count of each kind of node removed (`COUNTS`)}.

        Raises:
            InvalidInput: no actor or reason.
            NotFound: no live identity for this id in the tenant.
        """
        check_tenant(tenant)
        for name, value in (("actor", actor), ("reason", reason)):
            if not isinstance(value, str) or not value.strip():
                raise InvalidInput(f"{name}: expected a non-empty string", field=name)
        return self._write(_forget, tenant, identity_id, actor, reason)


def _forget(tx: ManagedTransaction, tenant: str, identity_id: str, actor: str,
            reason: str) -> dict[str, Any]:
    ids = sorted(row["identity_id"] for row in query_rows(
        tx, "erasure/person", tenant=tenant, identity_id=identity_id))
    if not ids:
        raise NotFound(f"identity {identity_id} not found", field="identity_id")
    query_rows(tx, "identity/lock_identities", tenant=tenant, identity_ids=ids)
    now = datetime.now(UTC)
    attribution = tx.run(cypher("erasure/attribution"), tenant=tenant,
                         identity_ids=ids).single(strict=True)
    runs = _runs_without(attribution["journeys"], attribution["results"], attribution["runs"])
    counts = tx.run(cypher("erasure/erase"), tenant=tenant, identity_ids=ids,
                    now=now).single(strict=True).data()
    if runs:
        tx.run(cypher("erasure/set_run_totals"), tenant=tenant, runs=runs).consume()
    event_id = str(uuid.uuid4())
    tx.run(cypher("erasure/record_erasure"), tenant=tenant, event_id=event_id, actor=actor,
           reason=reason, now=now, counts=counts).consume()
    return {"event_id": event_id, "at": now, **counts}


def _runs_without(journeys: list[list], results: list[list], runs: list[list]) -> list[dict]:
    """Run totals less the erased person's journeys and credit (pure)."""
    journeys_in = Counter(storm_id for _, storm_id in journeys)
    by_run: dict[tuple[str, str], list[list]] = {}
    for storm_id, method, credits, value in results:
        by_run.setdefault((storm_id, method), []).append([json.loads(credits), value])
    updated = []
    for key, storm_id, method, channels, n_journeys, attributed, converted, total_value in runs:
        removed = by_run.get((storm_id, method), [])
        totals = json.loads(channels or "{}")
        for credits, _ in removed:
            for channel, credit in credits.items():
                totals[channel] = totals.get(channel, 0.0) - credit
        updated.append({
            "key": key, "channels": json.dumps(totals),
            "journeys": max(0, (n_journeys or 0) - journeys_in[storm_id]),
            "attributed": max(0, (attributed or 0) - len(removed)),
            "converted": max(0, (converted or 0) - len(removed)),
            "total_value": (total_value or 0.0) - sum(value or 0.0 for _, value in removed)})
    return updated
