"""The identity graph: link, resolve, read, merge, unmerge and audit identities in Neo4j.

Every operation is scoped by tenant and runs as managed transactions, so a failure rolls the
graph back and transient errors (deadlocks between concurrent writers) are retried.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

from neo4j import ManagedTransaction, unit_of_work

from stormops.core.errors import Conflict, InvalidInput, NotFound, StormOpsError
from stormops.core.identifiers import PersonIdentifiers, person_identifiers
from stormops.cypher import chained, cypher
from stormops.graph._derived import after_merge, after_unmerge
from stormops.graph._identifiers import check_tenant
from stormops.graph._identity_tx import link_batch, lock_identities, people_keys
from stormops.graph._linking import LinkPlan
from stormops.graph._pipeline import LINK_BATCH, WRITERS, Batch, write_in_order
from stormops.graph._resolve import Lookup, resolve_lookups
from stormops.graph._store import GraphStore, query_rows
from stormops.graph._ties import merged, tie_rows, ties_of, unmerged
from stormops.graph._values import chunks, plain

DEFAULT_BATCH = LINK_BATCH
DEFAULT_WORKERS = WRITERS


@dataclass(frozen=True)
class LinkOutcome:
    """Where one record ended: its identity and whether it was linked, created or queued."""

    identity_id: str
    outcome: str


@dataclass
class BulkResult:
    """Counts of a bulk link, with each refused row's number and reason."""

    linked: int = 0
    created: int = 0
    queued: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    outcomes: list[LinkOutcome | None] = field(default_factory=list)


def _now() -> datetime:
    return datetime.now(UTC)


def _single(tx: ManagedTransaction, name: str, **params: Any) -> str | None:
    record = tx.run(cypher(name), **params).single()
    return None if record is None else record["identity_id"]


def merge_in_tx(
    tx: ManagedTransaction, tenant: str, into: str, other: str, actor: str, reason: str,
    kind: str, evidence: str | None, locked: Mapping[str, str] | None = None,
) -> str:
    """Merge `other` into `into` inside the caller's transaction; returns the event id.

    `locked`: id -> status of the pair, when the caller has locked and read them already
    (a review decision does it with the item), saving that round trip.
    """
    status = lock_identities(tx, tenant, [into, other]) if locked is None else locked
    for identity_id in (into, other):
        if identity_id not in status:
            raise NotFound(f"identity {identity_id} not found", field="identity_id")
        if status[identity_id] != "active":
            raise Conflict(f"identity {identity_id} is {status[identity_id]}, not active",
                           field="identity_id")
    found = tx.run(cypher("identity/move_links"), tenant=tenant, into=into,
                   other=other).single()
    moved, current = found["moved"], found["ties"]
    other_ties = ties_of(current, other)
    into_ties, ties = merged(ties_of(current, into), other_ties)
    keys = [key for key, _ in other_ties]
    event_id = str(uuid.uuid4())
    tx.run(chained("identity/set_ties", "identity/record_merge"), tenant=tenant, rows=[
        *tie_rows(into, into_ties, keys), *tie_rows(other, {}, keys)], into=into,
        other=other, event_id=event_id, kind=kind, actor=actor, reason=reason,
        evidence=evidence, moved=json.dumps(moved, default=_iso), moved_ties=json.dumps(ties),
        now=_now()).consume()
    after_merge(tx, tenant, event_id, into, other)  # what derives from events follows
    return event_id


def _manual_merge(
    tx: ManagedTransaction, tenant: str, into: str, other: str, actor: str, reason: str,
    kind: str, evidence: str | None, override: bool,
) -> str:
    """A merge asked for by name: refused over a reviewer's cannot-link unless overridden
    (read under the identities' locks, so a decision taken meanwhile is seen)."""
    lock_identities(tx, tenant, [into, other])
    apart = query_rows(tx, "identity/kept_apart", tenant=tenant, a=into, b=other)
    if apart and not override:
        raise Conflict(f"a reviewer marked {into} and {other} as different people "
                       f"({apart[0]['decided_by']}); merge with override_cannot_link to merge "
                       "them anyway", field="override_cannot_link")
    if apart:
        evidence = json.dumps({**json.loads(evidence or "{}"), "override_cannot_link": True,
                               "overridden": plain(apart)}, default=str, sort_keys=True)
    return merge_in_tx(tx, tenant, into, other, actor, reason, kind, evidence)


def _unmerge(tx: ManagedTransaction, tenant: str, event_id: str, actor: str, reason: str) -> str:
    record = tx.run(cypher("identity/get_event"), tenant=tenant, event_id=event_id).single()
    if record is None:
        raise NotFound(f"merge event {event_id} not found", field="event_id")
    event = record["event"]
    if event["kind"] == "unmerge":
        raise Conflict(f"event {event_id} is an unmerge; merge again instead", field="event_id")
    if event.get("undone_by"):
        raise Conflict(f"merge {event_id} was already undone by {event['undone_by']}",
                       field="event_id")
    into, other = event["into"], event["other"]
    live = _single(tx, "identity/resolve_id", tenant=tenant, identity_id=into)
    lock_identities(tx, tenant, [i for i in {into, other, live} if i])
    moved = json.loads(event["moved"])
    restored = {row["key"] for row in query_rows(
        tx, "identity/restore_links", tenant=tenant, other=other, rows=_link_rows(moved),
        **{"from": live},
    )}
    moved_ties = json.loads(event["moved_ties"])
    if live and moved_ties:
        current = query_rows(tx, "identity/read_ties", tenant=tenant, identity_ids=[live])
        live_ties, returned = unmerged(ties_of(current, live), moved_ties, other)
        keys = [row["key"] for row in moved_ties]
        tx.run(cypher("identity/set_ties"), tenant=tenant, rows=[
            *tie_rows(live, live_ties, keys), *tie_rows(other, returned, keys)]).consume()
    skipped = sorted(row["key"] for row in moved if row["key"] not in restored)
    new_id = str(uuid.uuid4())
    tx.run(cypher("identity/record_unmerge"), tenant=tenant, into=into, other=other,
           undoes=event_id, event_id=new_id, actor=actor, reason=reason,
           restored=len(restored), skipped=json.dumps(skipped), now=_now()).consume()
    after_unmerge(tx, tenant, event, live, other)  # what derives from events goes back
    return new_id


def _iso(value: Any) -> str:
    """Neo4j temporal values as ISO text, exact to the microsecond we wrote."""
    return value.to_native().isoformat()


def _link_rows(moved: list[dict]) -> list[dict]:
    """Moved links as stored in the event, with their timestamps back as datetimes."""
    rows = []
    for row in moved:
        props = dict(row["props"])
        if isinstance(props.get("linked_at"), str):
            props["linked_at"] = datetime.fromisoformat(props["linked_at"])
        rows.append({"key": row["key"], "props": props})
    return rows


def _collect(
    result: BulkResult, chunk: list, positions: list[int], plan: LinkPlan | None,
    progress: Callable[[int], None] | None,
) -> None:
    """Fold one written batch's outcomes into the result, in input order."""
    outcomes: list[LinkOutcome | None] = [None] * len(chunk)
    if plan is not None:
        for pos, (identity_id, outcome) in zip(positions, plan.outcomes, strict=True):
            outcomes[pos - chunk[0][0]] = LinkOutcome(identity_id, outcome)
            setattr(result, outcome, getattr(result, outcome) + 1)
    result.outcomes.extend(outcomes)
    if progress:
        progress(len(chunk))


class IdentityGraph(GraphStore):
    """The roadmap's identity graph over one Neo4j database.

    Args:
        driver: an open driver (`graph.open_driver`); the caller closes it.
        database: the Neo4j database name.
        phone_region: region for phone numbers written without a country code.

    Example:
        >>> graph = IdentityGraph(driver, "neo4j")
        >>> iid = graph.link_property("acme", "P1", {"email": "Jo@X.com"})
        >>> graph.resolve_identity("acme", "jo@x.com") == iid
        True
    """

    def link_property(
        self, tenant: str, property_id: str | None, identifiers: Mapping[str, object]
    ) -> str:
        """Link one person's identifiers (and the property they live at) to an identity.

        Args:
            tenant: the tenant the data belongs to.
            property_id: the property the person lives at, or None.
            identifiers: any of email, phone, device_id, national_id, first_name,
                last_name, dob; normalized before use.

        Returns:
            The identity id: the existing owner of the identifiers, or a new identity.

        Raises:
            InvalidInput: unknown identifier, malformed value, or nothing identifying.
        """
        return self.link(tenant, property_id, identifiers).identity_id

    def link(
        self, tenant: str, property_id: str | None, identifiers: Mapping[str, object]
    ) -> LinkOutcome:
        """`link_property`, also saying whether the identity was linked, created or queued."""
        check_tenant(tenant)
        person = person_identifiers(property_id, dict(identifiers), self.phone_region)
        plan = self._write(link_batch, tenant, [person])
        return LinkOutcome(*plan.outcomes[0])

    def link_properties(
        self,
        tenant: str,
        rows: Iterable[Mapping[str, object]],
        batch_size: int = DEFAULT_BATCH,
        progress: Callable[[int], None] | None = None,
        workers: int = DEFAULT_WORKERS,
    ) -> BulkResult:
        """Bulk `link_property`: rows carry `property_id` plus identifier fields.

        Rows that fail validation are reported by position and skipped; every other row is
        written, in batches of `batch_size` per transaction, `workers` transactions at a time;
        a batch sharing an identifier or property with one in flight waits for it, so the
        result is the same as one at a time, run after run.
        """
        check_tenant(tenant)
        result = BulkResult()

        def batches() -> Iterator[Batch]:
            for chunk in chunks(enumerate(rows), batch_size):
                people, positions = self._normalize_chunk(chunk, result)
                write = partial(self._write, link_batch, tenant, people) if people else None
                yield Batch(write, people_keys(tenant, people), (chunk, positions))

        write_in_order(batches(), lambda context, plan: _collect(result, *context, plan, progress),
                       workers)
        return result

    def _normalize_chunk(
        self, chunk: list[tuple[int, Mapping[str, object]]], result: BulkResult
    ) -> tuple[list[PersonIdentifiers], list[int]]:
        people, positions = [], []
        for pos, row in chunk:
            fields = {k: v for k, v in row.items() if k != "property_id"}
            try:
                people.append(person_identifiers(row.get("property_id"), fields,
                                                 self.phone_region))
                positions.append(pos)
            except StormOpsError as exc:
                result.rejected.append((pos, exc.message))
        return people, positions

    def resolve_identity(
        self, tenant: str, identifier: str, type: str | None = None
    ) -> str | None:
        """The live identity an identifier belongs to, or None.

        Args:
            tenant: the caller's tenant.
            identifier: a raw value (normalized here).
            type: email, phone, device_id, national_id, property_id or identity_id; when
                None the value is tried as each identifier type it can be read as.

        Raises:
            InvalidInput: empty value, unknown type, or a value invalid for its type.
        """
        check_tenant(tenant)
        lookups = resolve_lookups(tenant, identifier, type, self.phone_region)
        return self._read(_first_found, lookups)

    def get_profile(self, tenant: str, identity_id: str) -> dict:
        """An identity with its identifiers (strength, method, evidence), properties, status
        and merge history.

        Raises:
            NotFound: no such identity in this tenant.
        """
        check_tenant(tenant)
        record = self._read(_profile, tenant, identity_id)
        return shape_profile(identity_id, record, self.history(tenant, identity_id))

    def merge_identities(
        self, tenant: str, into: str, other: str, actor: str, reason: str,
        kind: str = "merge", evidence: str | None = None, *, override_cannot_link: bool = False,
    ) -> str:
        """Merge `other` into `into` in one transaction; returns the MergeEvent id.

        `other` stays as `status: merged, merged_into` so its id still resolves; the event
        records exactly which links and property ties moved, for `unmerge`. A pair a reviewer
        marked as different people merges only with `override_cannot_link`, and the event's
        evidence then names the decisions overridden.

        Raises:
            InvalidInput: the same identity twice, or no actor/reason.
            NotFound: either identity is not in this tenant.
            Conflict: either identity is not active, or reviewers kept them apart.
        """
        check_tenant(tenant)
        if into == other:
            raise InvalidInput("other: cannot merge an identity into itself", field="other")
        _require_text(actor=actor, reason=reason)
        return self._write(_manual_merge, tenant, into, other, actor, reason, kind, evidence,
                           override_cannot_link)

    def unmerge(self, tenant: str, event_id: str, actor: str, reason: str) -> str:
        """Undo a merge: restore exactly the links and ties it moved; returns the new event id.

        Works after later merges absorbed the survivor: links are taken back from wherever
        the survivor's merge chain now ends.

        Raises:
            NotFound: no such event in this tenant.
            Conflict: the event is an unmerge, or was already undone.
        """
        check_tenant(tenant)
        _require_text(actor=actor, reason=reason)
        return self._write(_unmerge, tenant, event_id, actor, reason)

    def decide_review(
        self, tenant: str, item_id: str, decision: str, actor: str, reason: str
    ) -> dict:
        """Approve (merge the candidates) or reject (remember they are different people) a
        review item, in one transaction.

        Returns:
            {"item_id", "status", "event_ids"}: the merge events an approval wrote.

        Raises:
            InvalidInput: decision not approve/reject, or no actor/reason.
            NotFound: no such item in this tenant.
            Conflict: the item was decided already.
        """
        check_tenant(tenant)
        if decision not in ("approve", "reject"):
            raise InvalidInput(f"decision: expected approve or reject, got {decision!r}",
                               field="decision")
        _require_text(actor=actor, reason=reason)
        return self._write(_decide, tenant, item_id, decision, actor, reason)

    def history(self, tenant: str, identity_id: str) -> list[dict]:
        """The merge and unmerge events that touched an identity, newest first."""
        check_tenant(tenant)
        return plain([row["event"] for row in self._rows(
            "identity/history", {"tenant": tenant, "identity_id": identity_id}, timeout=30)])


def _decide(
    tx: ManagedTransaction, tenant: str, item_id: str, decision: str, actor: str, reason: str
) -> dict:
    """The decision's transaction: the item and its live identities locked and read in one
    round trip, the merges (or cannot-links) and the item's closing in as few after it."""
    record = tx.run(cypher("review/lock_item"), tenant=tenant, item_id=item_id).single()
    if record is None:
        raise NotFound(f"review item {item_id} not found", field="item_id")
    if record["status"] != "open":
        raise Conflict(f"review item {item_id} is already {record['status']}", field="item_id")
    status = {row["identity_id"]: row["status"] for row in record["live"]}
    live = sorted(status)
    event_ids: list[str] = []
    closing = {"tenant": tenant, "item_id": item_id, "actor": actor, "reason": reason,
               "now": _now()}
    if decision == "reject":
        pairs = [[a, b] for n, a in enumerate(live) for b in live[n + 1:]]
        tx.run(chained("review/cannot_link", "review/record_decision"), **closing,
               pairs=pairs, status="rejected", event_ids=event_ids).consume()
        return {"item_id": item_id, "status": "rejected", "event_ids": event_ids}
    kept = json.loads(record["evidence"] or "{}").get("kept_by")
    into = kept if kept in live else live[0]
    for other in (i for i in live if i != into):
        event_ids.append(merge_in_tx(tx, tenant, into, other, actor, reason, "merge",
                                     record["evidence"], locked=status))
    tx.run(cypher("review/record_decision"), **closing, status="approved",
           event_ids=event_ids).consume()
    return {"item_id": item_id, "status": "approved", "event_ids": event_ids}


def _require_text(**values: str) -> None:
    for name, value in values.items():
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput(f"{name}: expected a non-empty string", field=name)


@unit_of_work(timeout=10)
def _first_found(tx: ManagedTransaction, lookups: list[Lookup]) -> str | None:
    for lookup in lookups:
        if (found := _single(tx, lookup.query, **lookup.params)) is not None:
            return found
    return None


def shape_profile(identity_id: str, record: dict | None, history: list[dict]) -> dict:
    """The profile document from the get_profile row; NotFound when there was none."""
    if record is None:
        raise NotFound(f"identity {identity_id} not found", field="identity_id")
    return plain({**record["identity"], "identifiers": record["identifiers"],
                  "records": record["records"], "properties": record["properties"],
                  "history": history})


def _profile(tx: ManagedTransaction, tenant: str, identity_id: str) -> dict | None:
    record = tx.run(cypher("identity/get_profile"), tenant=tenant,
                    identity_id=identity_id).single()
    return None if record is None else record.data()
