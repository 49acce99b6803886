"""Records linked by exact identifiers, with close pairs queued for review: one transaction per
batch.

This is how records get in before a tenant has a matching model of its own (and always through
`stormops link`): each Record is stored (columns, blocking-key slots, extra, source line), its
person-level identifiers are linked by the deterministic rules of `graph._linking` (a record
whose identifiers point at two identities joins the strongest and queues a merge candidate),
a record with no identifier founds an identity of its own, and the record is linked to its
identity. Then the records sharing a blocking key with each new record are read, and the pairs
the caller's `close_pairs` judges close (a model's score, in `matching/`) are queued for review
when the two records ended in different identities: exact rules never join Sarah Connor and
Sara Conner, and never leave them apart unnoticed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from neo4j import ManagedTransaction

from stormops.core.identifiers import record_identifiers
from stormops.cypher import cypher
from stormops.graph import _ids
from stormops.graph._identity_tx import link_batch, lock_identities, queue_reviews, review_key
from stormops.graph._store import query_rows

CloseJudge = Callable[[Mapping[str, str | None], Sequence[Mapping[str, str | None]]],
                      list[tuple[int, dict[str, Any]]]]
"""(record, candidate records) -> (candidate position, evidence) of each pair to review."""
FOUNDED = {"reason": "first record of its identity"}


@dataclass(frozen=True)
class ExactLink:
    """Where one record went.

    Attributes:
        record_id: the record.
        identity_id: its identity.
        outcome: "linked" (to an identity its identifiers name), "created" (a new identity),
            or "unchanged" (linked already: its stored values are updated, its link kept).
        queued: a review item was queued for it (its identifiers name two identities, or a
            close pair).
    """

    record_id: str
    identity_id: str
    outcome: str
    queued: bool = False


def link_exact(
    tx: ManagedTransaction,
    tenant: str,
    rows: list[dict[str, Any]],
    records: list[Mapping[str, str | None]],
    close_pairs: CloseJudge | None,
    columns: tuple[str, ...],
    model_version: str | None,
    max_candidates: int,
) -> tuple[list[ExactLink], int]:
    """Store, link and review one batch (record ids unique within it); returns each record's
    link and the number of review items created."""
    now = datetime.now(UTC)
    stored = {row["record_id"]: row["identity_id"] for row in query_rows(
        tx, "matching/upsert_records", tenant=tenant, now=now, records=rows)}
    new = [i for i, row in enumerate(rows) if stored[row["record_id"]] is None]
    people = {i: person for i in new if (person := record_identifiers(records[i]))}
    plan = link_batch(tx, tenant, list(people.values())) if people else None
    decided = dict(zip(people, plan.outcomes if plan else (), strict=True))
    epoch = _ids.erasure_epoch(tx, tenant) if len(people) < len(new) else 0
    founded = [{"identity_id": _ids.identity_id(tenant, rows[i]["key"], epoch),
                "first_name": records[i].get("first_name"),
                "last_name": records[i].get("last_name"), "links": []}
               for i in new if i not in people]
    if founded:
        tx.run(cypher("identity/create_identities"), tenant=tenant, now=now,
               identities=founded).consume()
    for i, identity in zip((i for i in new if i not in people), founded, strict=True):
        decided[i] = (identity["identity_id"], "created")
    # The identities records join are locked, as the people settled without locks were not.
    lock_identities(tx, tenant, sorted({decided[i][0] for i in people}))
    links = []
    for i in new:
        identity_id, outcome = decided[i]
        evidence = FOUNDED if outcome == "created" else {
            "reason": "exact normalized identifiers",
            "identifiers": sorted(people[i].values) if i in people else []}
        links.append({"key": rows[i]["key"], "identity_id": identity_id, "strength": 1.0,
                      "method": "deterministic", "match_probability": None,
                      "match_weight": None, "model_version": model_version,
                      "evidence": json.dumps(evidence, sort_keys=True)})
    if links:
        tx.run(cypher("matching/link_records"), tenant=tenant, now=now, links=links).consume()
    queued, created = _close_pairs(tx, tenant, [(rows[i], records[i], decided[i][0])
                                                for i in new], close_pairs, columns,
                                   max_candidates, now) if close_pairs and new else (set(), 0)
    created += plan.items_created if plan else 0
    result = []
    for i, row in enumerate(rows):
        if i not in decided:
            result.append(ExactLink(row["record_id"], stored[row["record_id"]], "unchanged"))
            continue
        identity_id, outcome = decided[i]
        result.append(ExactLink(row["record_id"], identity_id,
                                "created" if outcome == "created" else "linked",
                                outcome == "queued" or row["record_id"] in queued))
    return result, created


def _close_pairs(
    tx: ManagedTransaction, tenant: str,
    new: list[tuple[dict[str, Any], Mapping[str, str | None], str]],
    close_pairs: CloseJudge, columns: tuple[str, ...], max_candidates: int, now: datetime,
) -> tuple[set[str], int]:
    """Queue the close pairs of the new records that ended in different identities; returns
    the record ids with an open review item (a pair already decided waits for nobody), and
    the items created."""
    found = {row["key"]: row["candidates"] for row in query_rows(
        tx, "matching/close_candidates", tenant=tenant, columns=list(columns),
        max_candidates=max_candidates,
        rows=[{"key": row["key"], "blocks": row["blocks"]} for row, _, _ in new])}
    reviews: list[dict[str, Any]] = []
    for row, record, identity_id in new:
        candidates = [c for c in found.get(row["key"], ()) if c["identity_id"] != identity_id]
        if not candidates:
            continue
        others = [dict(zip(columns, c["values"], strict=True)) for c in candidates]
        for position, evidence in close_pairs(record, others):
            other = candidates[position]["identity_id"]
            reviews.append({"identity_ids": [identity_id, other], "evidence": {
                **evidence, "kept_by": other,
                "record_ids": [row["record_id"], others[position]["record_id"]]}})
    if not reviews:
        return set(), 0
    created, open_keys = queue_reviews(tx, tenant, reviews, now)
    return {review["evidence"]["record_ids"][0] for review in reviews
            if review_key(tenant, review["identity_ids"]) in open_keys}, created
