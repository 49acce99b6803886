"""The identity graph's transaction helpers: link people, lock identifiers and identities,
queue review candidates. Every write path that resolves people to identities (linking records,
recording events, exact bulk links) runs these inside its own transaction, so they live apart
from any one of those paths.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import NamedTuple

from neo4j import ManagedTransaction

from stormops.core.identifiers import PersonIdentifiers
from stormops.core.reasons import reason_code
from stormops.cypher import cypher
from stormops.graph._identifiers import identifier_key, property_key
from stormops.graph._ids import erasure_epoch, review_item_id
from stormops.graph._linking import LinkPlan, Owner, plan_links, settled_people
from stormops.graph._store import query_rows


def link_batch(
    tx: ManagedTransaction, tenant: str, people: list[PersonIdentifiers]
) -> LinkPlan:
    """Settle the people already fully linked (read without locks), then lock the others'
    identifiers and properties, plan against their owners and write.

    The plan's outcomes cover every person, in order; a settled person is "linked" and
    writes nothing, so re-linking known people takes no locks (callers that attach data to
    the identity lock it themselves).
    """
    now = datetime.now(UTC)
    settled = settled_people(tenant, people, *read_owners(tx, tenant, people))
    rest = [person for person, identity_id in zip(people, settled, strict=True)
            if identity_id is None]
    plan = LinkPlan()
    if rest:
        owners, property_owners = lock_owners(tx, tenant, rest, now)
        plan = plan_links(tenant, rest, owners, property_owners, erasure_epoch(tx, tenant))
        queued = write_plan(tx, tenant, plan, now)
        plan.items_created = queued.created
        plan.outcomes = _decided_as_linked(tenant, plan, queued.open)
    planned = iter(plan.outcomes)
    plan.outcomes = [(identity_id, "linked") if identity_id else next(planned)
                     for identity_id in settled]
    return plan


def _decided_as_linked(tenant: str, plan: LinkPlan, open_keys: frozenset[str]
                       ) -> list[tuple[str, str]]:
    """A queued outcome whose merge candidate a reviewer already decided (its item is no
    longer open) reads as linked: nothing waits in the queue for it. `plan_links` appends
    one review per queued outcome, in order."""
    reviews = iter(plan.reviews)
    outcomes = []
    for identity_id, outcome in plan.outcomes:
        if outcome == "queued" and review_key(tenant, next(reviews)["identity_ids"]) \
                not in open_keys:
            outcome = "linked"
        outcomes.append((identity_id, outcome))
    return outcomes


def write_plan(tx: ManagedTransaction, tenant: str, plan: LinkPlan, now: datetime,
               reviews: list[dict] | None = None) -> ReviewsQueued:
    """Write a link plan: new identities, identifier links, property ties, and its review
    items plus `reviews`."""
    if plan.new:
        tx.run(cypher("identity/create_identities"), tenant=tenant, now=now,
               identities=list(plan.new.values())).consume()
    if plan.existing:
        tx.run(cypher("identity/link_identifiers"), tenant=tenant, now=now,
               identities=sorted(plan.existing.values(), key=lambda r: r["identity_id"])).consume()
    if plan.ties:
        tx.run(cypher("identity/tie_properties"), tenant=tenant, ties=plan.ties).consume()
    return queue_reviews(tx, tenant, [*(reviews or ()), *plan.reviews], now)


def lock_owners(
    tx: ManagedTransaction, tenant: str, people: list[PersonIdentifiers], now: datetime
) -> tuple[dict[str, Owner], dict[str, str | None]]:
    """Lock people's identifiers and properties (sorted, so writers never deadlock on order)
    and read who owns them: identifier key -> owner, property key -> owning identity."""
    identifiers = sorted(
        {(identifier_key(tenant, t, v), t, v) for p in people for t, v in p.values.items()}
    )
    owners = {
        row["key"]: Owner(row["identity_id"], row["first_name"])
        for row in (query_rows(tx, "identity/lock_identifiers", tenant=tenant, identifiers=[
            {"key": k, "type": t, "value": v} for k, t, v in identifiers]) if identifiers else ())
        if row["identity_id"] is not None
    }
    properties = sorted(
        {(property_key(tenant, p.property_id), p.property_id) for p in people if p.property_id}
    )
    property_owners = {
        row["key"]: row["owner_id"]
        for row in (query_rows(tx, "identity/lock_properties", tenant=tenant, now=now, properties=[
            {"key": k, "property_id": v} for k, v in properties]) if properties else ())
    }
    return owners, property_owners


def read_owners(
    tx: ManagedTransaction, tenant: str, people: list[PersonIdentifiers]
) -> tuple[dict[str, Owner], dict[str, str | None], set[tuple[str, str]]]:
    """Who owns people's identifiers and properties, without locking: identifier key ->
    owner, property key -> owning identity, and the (property key, identity id) ties."""
    identifier_keys = sorted({identifier_key(tenant, t, v) for p in people
                              for t, v in p.values.items()})
    property_keys = sorted({property_key(tenant, p.property_id) for p in people
                            if p.property_id})
    row = tx.run(cypher("identity/read_owners"), identifier_keys=identifier_keys,
                 property_keys=property_keys).single(strict=True)
    owners = {key: Owner(identity_id, first_name)
              for key, identity_id, first_name in row["identifiers"]}
    property_owners = {key: owner_id for key, owner_id, _ in row["properties"]}
    ties = {(key, identity_id) for key, _, tied in row["properties"] for identity_id in tied}
    return owners, property_owners, ties


class ReviewsQueued(NamedTuple):
    """What queueing merge candidates did: items created, and the keys (`review_key`) of
    the candidates whose item is open now (a decided one stays decided, so is not)."""

    created: int
    open: frozenset[str]


def review_key(tenant: str, identity_ids: Iterable[str]) -> str:
    """The key of the one review item a set of identities can have."""
    return f"{tenant}|merge|{'|'.join(sorted(set(identity_ids)))}"


def queue_reviews(
    tx: ManagedTransaction, tenant: str, reviews: list[dict], now: datetime
) -> ReviewsQueued:
    """Queue merge candidates ({identity_ids, evidence}), one item per set of identities:
    a candidate already queued (or decided) is not queued again."""
    items = {}
    for review in reviews:
        ids = sorted(set(review["identity_ids"]))
        if len(ids) < 2:
            continue
        key = review_key(tenant, ids)
        probability = review["evidence"].get("match_probability")
        items.setdefault(key, {"key": key, "item_id": review_item_id(key), "identity_ids": ids,
                               "evidence": json.dumps(review["evidence"], sort_keys=True),
                               "reason": reason_code(review["evidence"]),
                               "match_probability": None if probability is None
                               else float(probability)})
    if not items:
        return ReviewsQueued(0, frozenset())
    row = tx.run(cypher("review/upsert_candidates"), tenant=tenant, now=now,
                 items=sorted(items.values(), key=lambda item: item["key"])).single(strict=True)
    return ReviewsQueued(row["created"], frozenset(row["open"]))


def lock_identities(tx: ManagedTransaction, tenant: str, ids: list[str]) -> dict[str, str]:
    """Lock identities (sorted, so writers never deadlock on order); id -> status."""
    rows = query_rows(tx, "identity/lock_identities", tenant=tenant, identity_ids=sorted(ids))
    return {row["identity_id"]: row["status"] for row in rows}


def people_keys(tenant: str, people: Iterable[PersonIdentifiers]) -> frozenset[str]:
    """The identifier and property keys a batch of people locks."""
    keys = set()
    for person in people:
        keys.update(identifier_key(tenant, t, v) for t, v in person.values.items())
        if person.property_id:
            keys.add(property_key(tenant, person.property_id))
    return frozenset(keys)
