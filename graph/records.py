"""Records in the graph: the observations matching links to identities, batch and online.

Graph model:

    (:Record {key: tenant|record|record_id, tenant_id, record_id, source, <normalized record
              columns>, extra (JSON of columns kept but not compared), line (in its source
              file), ingested_at,
              block_0 .. block_15: tenant|block|columns=values, one per blocking key})
    (:Record)-[:LINK {strength, method: splink|deterministic, match_probability,
                      match_weight, model_version, evidence (JSON), linked_at}]->(:Identity)

Each blocking-key slot is indexed, so an online record finds the records sharing any of its
keys with one index seek per slot (properties rather than BlockKey nodes: writing a record's
keys costs index entries, not nodes and relationships).

A record's LINK says why it is in its identity: the pair that put it there (the other record,
the match weight and each comparison's contribution), or that it founded the identity. The
record's person-level identifiers are linked to the same identity deterministically (the
first identity to claim one keeps it), and its property ties the identity to the household,
so `resolve_identity` by email and the household view work for matched records too. Merges
and unmerges move record links like identifier links.

The matching decisions themselves are made in `matching/`; this module only reads what they
need and writes what they decided, each write one transaction.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from neo4j import ManagedTransaction

from stormops.core.errors import InvalidInput
from stormops.core.identifiers import record_identifiers
from stormops.cypher import cypher
from stormops.graph import _ids
from stormops.graph._exact import FOUNDED, CloseJudge, ExactLink, link_exact
from stormops.graph._identifiers import check_tenant
from stormops.graph._identity_tx import (
    ReviewsQueued,
    lock_identities,
    lock_owners,
    people_keys,
    review_key,
    write_plan,
)
from stormops.graph._linking import attach_identifiers
from stormops.graph._store import query_rows
from stormops.graph._values import chunks
from stormops.graph.identities import IdentityGraph, merge_in_tx

__all__ = [
    "FOUNDED", "Assignment", "Candidates", "CloseJudge", "ExactLink", "OnlineRecord",
    "RecordGraph", "RecordLink", "StoredRecord", "combine", "record_key",
]

WRITE_BATCH = 5_000
# Records whose neighbourhood one query reads: a large tenant's blocks are large (a record of
# a 1M-record tenant has about a hundred neighbours), and a transaction holds what it returns.
NEIGHBOURHOOD_BATCH = 200
MATCHER = "stormops-matching"
BLOCK_SLOTS = 16  # indexed block_<i> properties; matching caps its blocking keys to match
LOCK_STRIPES = 4_096  # link locks per tenant that blocking keys hash to
_LOCK_ROUNDS = 10  # candidate reads before giving up on a stable set (a retry starts afresh)

# The columns of a batch of records, one entry per record: its normalized values, the
# columns kept but not compared, its blocking-key slots, and its line in its source file.
Rows = Sequence[Mapping[str, str | None]]
Extras = Sequence[Mapping[str, str]]
Slots = Sequence[Sequence[str | None]]
Lines = Sequence[int | None] | None


def record_key(tenant: str, record_id: str) -> str:
    """Unique key of a Record node; the tenant prefix keeps tenants apart."""
    return f"{tenant}|record|{record_id}"


def block_key(tenant: str, block: str) -> str:
    """A block slot's value: the tenant prefix keeps tenants apart in the shared index."""
    return f"{tenant}|block|{block}"


def link_locks(tenant: str, slots: Sequence[str | None]) -> list[str]:
    """The link locks an online record takes, sorted: one per blocking key, hashed onto
    `LOCK_STRIPES` per tenant. Two records that can be each other's candidates share a
    blocking key, so one waits for the other's commit and then reads it as a candidate."""
    stripes = {zlib.crc32(slot.encode()) % LOCK_STRIPES for slot in slots if slot}
    return sorted(f"{tenant}|lock|{stripe}" for stripe in stripes)


@dataclass(frozen=True)
class StoredRecord:
    """A record as stored, with the identity it is linked to (None: not linked yet)."""

    record: dict[str, str | None]
    identity_id: str | None


@dataclass(frozen=True)
class OnlineRecord:
    """A record to link online: normalized columns (with a record_id), the columns kept but
    not compared, its blocking-key slots and its line in its source file (None: not from a
    file)."""

    record: Mapping[str, str | None]
    extra: Mapping[str, str]
    blocks: Sequence[str | None]
    line: int | None = None


@dataclass(frozen=True)
class RecordLink:
    """Why a record belongs to its identity.

    Attributes:
        record_id: the record.
        identity_id: its identity.
        method: "splink" (a scored pair) or "deterministic" (an exact strong identifier, or
            the record that founded the identity).
        strength: match probability of the pair (1.0 for a founding record).
        match_probability: the pair's match probability, None for a founding record.
        match_weight: the pair's match weight (bits), None for a founding record.
        evidence: JSON-ready evidence (the other record, per-comparison weights).
    """

    record_id: str
    identity_id: str
    method: str
    strength: float
    match_probability: float | None
    match_weight: float | None
    evidence: dict[str, Any]


@dataclass
class Assignment:
    """What a batch (or one online record) writes.

    Attributes:
        new_identities: identities to create: {identity_id, first_name, last_name}.
        links: records to link (records already linked keep their link).
        records: the normalized records of `links`, by record_id (for their identifiers and
            property).
        reviews: merge candidates for reviewers: {identity_ids: [a, b], evidence, kept_by}.
        merges: (into, other, evidence) identity merges decided by the model, written as
            audited `auto_merge` events before anything else.
    """

    new_identities: list[dict[str, Any]] = field(default_factory=list)
    links: list[RecordLink] = field(default_factory=list)
    records: dict[str, Mapping[str, str | None]] = field(default_factory=dict)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    merges: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


@dataclass(frozen=True)
class Candidates:
    """An online record's candidates, grouped by their (live) identity.

    Attributes:
        records: candidate records (normalized columns).
        identities: identity of each candidate, same order.
        apart: identity -> identities reviewers said are different people.
        new_identity_id: the id the record's identity takes if it founds one.
    """

    records: list[dict[str, str | None]]
    identities: list[str]
    apart: dict[str, set[str]]
    new_identity_id: str = ""

    def kept_apart(self, a: str, b: str) -> bool:
        """Whether reviewers keep identities a and b apart."""
        return b in self.apart.get(a, ()) or a in self.apart.get(b, ())


class RecordGraph(IdentityGraph):
    """Records and their links, over the identity graph.

    Args:
        driver: an open driver; the caller closes it.
        database: the Neo4j database name.
        phone_region: region for phone numbers written without a country code.
        columns: the record columns stored on Record nodes (matching's RECORD_COLUMNS).

    Example:
        >>> records = RecordGraph(driver, "neo4j", columns=RECORD_COLUMNS)  # doctest: +SKIP
        >>> records.save_records("acme", rows, extras, blocks)  # doctest: +SKIP
    """

    def __init__(self, driver: Any, database: str, phone_region: str = "US", *,
                 columns: Sequence[str]) -> None:
        super().__init__(driver, database, phone_region)
        self.columns = tuple(columns)

    def save_records(self, tenant: str, records: Rows, extras: Extras, blocks: Slots, *,
                     lines: Lines = None, batch_size: int = WRITE_BATCH,
                     progress: Callable[[int], None] | None = None) -> None:
        """Create or update Record nodes with their blocking keys, in batches.

        Args:
            tenant: the tenant.
            records: normalized records (each with a record_id).
            extras: per record, the columns kept but not compared.
            blocks: per record, its blocking-key slots (`MatchingModel.blocking_slots`).
            lines: per record, its line in its source file (None: not from a file).
            batch_size: records per transaction.
            progress: called with the number of records written after each batch.
        """
        check_tenant(tenant)
        rows = (self._record_row(tenant, record, extra, keys, line)
                for record, extra, keys, line in zip(
                    records, extras, blocks, lines or [None] * len(records), strict=True))
        now = datetime.now(UTC)
        for chunk in chunks(rows, batch_size):
            self._write(_run, "matching/upsert_records",
                        {"tenant": tenant, "now": now, "records": chunk})
            if progress:
                progress(len(chunk))

    def tenant_records(self, tenant: str) -> list[StoredRecord]:
        """Every record of the tenant with its identity, in key order."""
        check_tenant(tenant)
        rows = self._rows("matching/tenant_records", {"tenant": tenant}, timeout=600)
        return [StoredRecord(self._columns_of(row["record"]), row["identity_id"])
                for row in rows]

    def count_records(self, tenant: str) -> int:
        """How many records the tenant holds."""
        check_tenant(tenant)
        return int(self._rows("matching/count_records", {"tenant": tenant})[0]["records"])

    def stored_links(self, tenant: str, record_ids: Sequence[str]) -> dict[str, str | None]:
        """record_id -> identity (None: stored, not linked yet) of those of `record_ids` that
        are stored already."""
        check_tenant(tenant)
        found: dict[str, str | None] = {}
        for chunk in chunks((record_key(tenant, r) for r in record_ids), WRITE_BATCH):
            for row in self._rows("matching/stored_links", {"keys": chunk}, timeout=600):
                found[row["record_id"]] = row["identity_id"]
        return found

    def unlinked_records(self, tenant: str) -> list[str]:
        """Record ids of the tenant's stored records that no identity holds yet."""
        check_tenant(tenant)
        prefix = len(record_key(tenant, ""))
        return [row["key"][prefix:] for row in
                self._rows("matching/unlinked_records", {"tenant": tenant}, timeout=600)]

    def neighbourhood(self, tenant: str, record_ids: Sequence[str]) -> list[StoredRecord]:
        """The stored records matching must compare with `record_ids` (themselves, the records
        sharing a blocking key with one of them, and every record of those records'
        identities), each with its identity, in key order.

        Read through the block-slot indexes, so its cost follows the records given and their
        neighbours, not the size of the tenant.
        """
        check_tenant(tenant)
        found: dict[str, StoredRecord] = {}
        for chunk in chunks((record_key(tenant, r) for r in record_ids), NEIGHBOURHOOD_BATCH):
            for row in self._rows("matching/neighbourhood", {"tenant": tenant, "keys": chunk},
                                  timeout=600):
                record = self._columns_of(row["record"])
                found[str(record["record_id"])] = StoredRecord(record, row["identity_id"])
        return [found[key] for key in sorted(found)]

    def new_identity_ids(self, tenant: str) -> Callable[[str], str]:
        """record id -> the id of the identity that record founds (`graph._ids`), as of the
        tenant's erasures now."""
        check_tenant(tenant)
        epoch = self._read(_ids.erasure_epoch, tenant)
        return lambda record_id: _ids.identity_id(tenant, record_key(tenant, record_id), epoch)

    def cannot_link(self, tenant: str) -> list[tuple[str, str]]:
        """Live identity pairs reviewers keep apart."""
        check_tenant(tenant)
        rows = self._rows("matching/cannot_link", {"tenant": tenant}, timeout=600)
        return [(row["a"], row["b"]) for row in rows]

    def write_assignment(self, tenant: str, assignment: Assignment,
                         model_version: str | None) -> int:
        """Write one batch's decisions (merges, identities, links, identifiers, reviews) in one
        transaction; returns the review items it created (those queued already are kept)."""
        check_tenant(tenant)
        return self._write(_write_assignment, tenant, assignment, model_version,
                           self.phone_region).created

    def assignment_keys(self, tenant: str, assignment: Assignment) -> frozenset[str]:
        """What writing `assignment` locks: the identities it writes to or merges, and its
        records' identifier and property keys (for `graph.write_in_order`)."""
        people = [person for record in assignment.records.values()
                  if (person := record_identifiers(record)) is not None]
        identities = {link.identity_id for link in assignment.links} | {
            identity for into, other, _ in assignment.merges for identity in (into, other)}
        return people_keys(tenant, people) | identities

    def link_online(
        self,
        tenant: str,
        items: Sequence[OnlineRecord],
        decide: Callable[[int, Candidates], Assignment],
        *,
        model_version: str,
        max_candidates: int = 50,
        max_members: int = 20,
    ) -> list[tuple[str | None, Assignment]]:
        """Store records, read their candidates, decide each in turn and write, in one
        transaction: records posted together cost one lock wait and a few round trips, not a
        few each.

        Each record is decided as if linked after the ones before it: its candidates are the
        stored ones plus the earlier records of the batch sharing a blocking key with it or
        belonging to one of its candidate identities, with identities merged by earlier
        records seen as the identity they were merged into.

        Args:
            tenant: the tenant.
            items: the normalized records (each with a record_id; distinct), their columns
                kept but not compared, blocking-key slots and source lines.
            decide: (position in `items`, candidates) -> what to write (pure: a retried
                transaction calls it again).
            model_version: the model that scored the candidates.
            max_candidates: most stored records found by blocking key, per record.
            max_members: most further stored records taken from each candidate identity.

        Returns:
            Per item: (identity the record was already linked to, or None; what was written).
            A record linked already is updated in place and keeps its identity.
        """
        check_tenant(tenant)
        rows = [self._record_row(tenant, item.record, item.extra, item.blocks, item.line)
                for item in items]
        records = [{column: item.record.get(column) for column in self.columns}
                   for item in items]
        return self._write(_link_online, tenant, rows, records, decide, model_version,
                           self.phone_region, self.columns, max_candidates, max_members)

    def link_exact(self, tenant: str, records: Rows, extras: Extras, blocks: Slots, *,
                   lines: Lines = None, close_pairs: CloseJudge | None = None,
                   model_version: str | None = None,
                   max_candidates: int = 50) -> tuple[list[ExactLink], int]:
        """Store records and link them by exact identifiers, queueing close pairs for review,
        in one transaction (see `graph._exact`); call it once per batch.

        Args:
            tenant: the tenant.
            records: normalized records; a record_id repeated in the batch keeps its last row.
            extras: per record, the columns kept but not compared.
            blocks: per record, its blocking-key slots (for close pairs, and later matching).
            lines: per record, its source line.
            close_pairs: judges which candidates are close enough to review; None for none.
            model_version: the model whose slots and judgement were used.
            max_candidates: most records read per record to judge.

        Returns:
            (each distinct record's link, in first-seen order; review items created).
        """
        check_tenant(tenant)
        # A repeated id keeps its last row's values at its first row's place (a dict keeps
        # first-insertion order): the batch links in the order separate batches would.
        last = {str(record["record_id"]): i for i, record in enumerate(records)}
        kept = list(last.values())
        rows = [self._record_row(tenant, records[i], extras[i], blocks[i],
                                 lines[i] if lines else None) for i in kept]
        return self._write(link_exact, tenant, rows, [records[i] for i in kept], close_pairs,
                           self.columns, model_version, max_candidates)

    def export(self, tenant: str) -> Iterator[tuple[str, str | None]]:
        """(record_id, identity_id) for every record of the tenant, streamed in record order."""
        for record_id, identity_id, _ in self.export_rows(tenant):
            yield record_id, identity_id

    def export_rows(self, tenant: str, columns: Sequence[str] = ()
                    ) -> Iterator[tuple[str, str | None, list[Any]]]:
        """(record_id, identity_id, values of `columns`) for every record of the tenant,
        streamed in record order.

        Args:
            tenant: the tenant.
            columns: stored record properties (e.g. "line", "source", "email") or, for any
                other name, the extra column of that name (None where a record has none).
        """
        check_tenant(tenant)
        stored = [column for column in columns if column in (*self.columns, "line")]
        with self.driver.session(database=self.database) as session:
            result = session.run(cypher("matching/export"), tenant=tenant, columns=stored)
            for row in result:
                values = dict(zip(stored, row["values"], strict=True))
                extra = json.loads(row["extra"]) if row["extra"] else {}
                yield row["record_id"], row["identity_id"], [
                    values[column] if column in values else extra.get(column)
                    for column in columns]

    def _record_row(self, tenant: str, record: Mapping[str, str | None],
                    extra: Mapping[str, str], blocks: Sequence[str | None],
                    line: int | None = None) -> dict[str, Any]:
        """The upsert row of one record: columns, source line and block slots (None clears a
        slot)."""
        if len(blocks) > BLOCK_SLOTS:
            raise InvalidInput(f"at most {BLOCK_SLOTS} blocking keys, got {len(blocks)}",
                               field="blocking_keys")
        record_id = str(record["record_id"])
        slots = [None if block is None else block_key(tenant, block) for block in blocks]
        slots += [None] * (BLOCK_SLOTS - len(slots))
        props = {column: record.get(column) for column in self.columns if column != "record_id"}
        props.update((f"block_{i}", slot) for i, slot in enumerate(slots))
        return {
            "key": record_key(tenant, record_id),
            "record_id": record_id,
            "props": props,
            "extra": json.dumps(dict(extra), sort_keys=True) if extra else None,
            "line": line,
            "blocks": slots,
        }

    def _columns_of(self, node: Mapping[str, Any]) -> dict[str, str | None]:
        """The record columns of a Record node's properties."""
        return {column: node.get(column) for column in self.columns}


def _run(tx: ManagedTransaction, name: str, params: dict) -> None:
    tx.run(cypher(name), **params).consume()


def _link_online(
    tx: ManagedTransaction, tenant: str, rows: list[dict[str, Any]],
    records: list[dict[str, str | None]], decide: Callable[[int, Candidates], Assignment],
    model_version: str, region: str, columns: tuple[str, ...], max_candidates: int,
    max_members: int,
) -> list[tuple[str | None, Assignment]]:
    """Lock the records' blocking keys, store them, read their candidates with their
    identities locked, decide each in order and write: concurrent links of one person see
    each other. Writes go in groups that each start at a record merging identities, so
    every merge meets the identities the records before it created."""
    claimed = {row["key"]: row for row in query_rows(
        tx, "matching/claim_records", tenant=tenant, now=datetime.now(UTC),
        locks=sorted({lock for row in rows for lock in link_locks(tenant, row["blocks"])}),
        rows=[{k: row[k] for k in ("key", "record_id", "props", "extra", "line")}
              for row in rows])}
    results: list[tuple[str | None, Assignment]] = [
        (claimed[row["key"]]["identity_id"], Assignment()) for row in rows]
    todo = [i for i, row in enumerate(rows) if claimed[row["key"]]["identity_id"] is None]
    if not todo:
        return results
    found = _locked_candidates(tx, tenant, [rows[i] for i in todo], [row["key"] for row in rows],
                               columns, max_candidates, max_members)
    epoch = claimed[rows[todo[0]]["key"]]["epoch"]
    batch = _Batch()
    groups: list[list[Assignment]] = [[]]
    for i in todo:
        key = rows[i]["key"]
        assignment = decide(i, batch.candidates(rows[i]["blocks"], found[key],
                                                _ids.identity_id(tenant, key, epoch)))
        batch.add(rows[i]["blocks"], records[i], assignment)
        if assignment.merges and groups[-1]:
            groups.append([])
        groups[-1].append(assignment)
        results[i] = (None, assignment)
    open_keys: set[str] = set()
    for group in groups:
        open_keys |= _write_assignment(tx, tenant, combine(group), model_version, region).open
    # A candidate pair a reviewer already decided waits for nobody: report open items only.
    for _, assignment in results:
        assignment.reviews = [review for review in assignment.reviews
                              if review_key(tenant, review["identity_ids"]) in open_keys]
    return results


def _locked_candidates(
    tx: ManagedTransaction, tenant: str, rows: list[dict[str, Any]], keys: list[str],
    columns: tuple[str, ...], max_candidates: int, max_members: int,
) -> dict[str, list[tuple[str, list[dict[str, str | None]], set[str]]]]:
    """Each record's stored candidates by identity (key -> [(identity, records, apart)]),
    their identities locked and active (so merging them cannot meet an identity another
    writer merged away meanwhile): read, lock what is new, and read again while a locked
    identity turned out merged."""
    # Records with the same blocking keys (one person posted by several clients) have the
    # same stored candidates: each set of keys is read once.
    distinct = {tuple(row["blocks"]): row["key"] for row in rows}
    locked: set[str] = set()
    for _ in range(_LOCK_ROUNDS):
        found = tx.run(cypher("matching/candidates"), tenant=tenant, keys=keys,
                       rows=[{"key": key, "blocks": list(blocks)}
                             for blocks, key in distinct.items()],
                       max_candidates=max_candidates, max_members=max_members).data()
        fresh = {item["identity_id"] for item in found} - locked
        status = lock_identities(tx, tenant, sorted(fresh)) if fresh else {}
        locked |= fresh
        if all(status.get(identity) == "active" for identity in fresh):
            break
    by_read: dict[str, list[tuple[str, list[dict[str, str | None]], set[str]]]] = {}
    for item in found:
        by_read.setdefault(item["key"], []).append((
            item["identity_id"],
            [{column: node.get(column) for column in columns} for node in item["records"]],
            set(item["apart"])))
    return {row["key"]: by_read.get(distinct[tuple(row["blocks"])], []) for row in rows}


class _Batch:
    """What the records of one online batch decided so far: the identity each was linked to
    and the identities merged away, so the next record sees them as a later post would."""

    def __init__(self) -> None:
        self._merged: dict[str, str] = {}
        self._linked: list[tuple[set[str], dict[str, str | None], str]] = []
        self._apart: dict[str, set[str]] = {}

    def live(self, identity: str) -> str:
        """The identity `identity` is part of now (itself unless merged in this batch)."""
        while identity in self._merged:
            identity = self._merged[identity]
        return identity

    def candidates(
        self, blocks: Sequence[str | None],
        stored: list[tuple[str, list[dict[str, str | None]], set[str]]], new_identity_id: str,
    ) -> Candidates:
        """A record's candidates: its stored ones, then the batch's earlier records that
        share a blocking key with it or belong to one of its candidate identities. What
        reviewers keep apart is known for every identity any record of the batch read, so an
        identity reached only through an earlier record keeps its cannot-links."""
        records: list[dict[str, str | None]] = []
        identities: list[str] = []
        for identity, members, kept_apart in stored:
            records += members
            identities += [self.live(identity)] * len(members)
            self._apart.setdefault(identity, set()).update(kept_apart)
        keys = {block for block in blocks if block}
        near = set(identities) | {self.live(identity) for slots, _, identity in self._linked
                                  if slots & keys}
        for _, record, identity in self._linked:
            if (live := self.live(identity)) in near:
                records.append(record)
                identities.append(live)
        apart: dict[str, set[str]] = {}
        for identity, others in self._apart.items():
            apart.setdefault(self.live(identity), set()).update(map(self.live, others))
        return Candidates(records, identities, apart, new_identity_id)

    def add(self, blocks: Sequence[str | None], record: dict[str, str | None],
            assignment: Assignment) -> None:
        """Take in what one record decided."""
        for into, other, _ in assignment.merges:
            self._merged[other] = into
        self._linked.append(({block for block in blocks if block}, record,
                             assignment.links[0].identity_id))


def combine(group: Sequence[Assignment]) -> Assignment:
    """One assignment holding a group's writes (merges of any but the first must already
    be written)."""
    combined = Assignment()
    for assignment in group:
        combined.new_identities += assignment.new_identities
        combined.links += assignment.links
        combined.records.update(assignment.records)
        combined.reviews += assignment.reviews
        combined.merges += assignment.merges
    return combined


def _write_assignment(
    tx: ManagedTransaction, tenant: str, assignment: Assignment, model_version: str | None,
    region: str,
) -> ReviewsQueued:
    """Merges first (so links land on live identities), then identities, links, identifiers,
    property ties and review items."""
    now = datetime.now(UTC)
    for into, other, evidence in assignment.merges:
        merge_in_tx(tx, tenant, into, other, MATCHER,
                    f"linked by matching model {model_version}", "auto_merge",
                    json.dumps(evidence, sort_keys=True))
    if assignment.new_identities:
        tx.run(cypher("identity/create_identities"), tenant=tenant, now=now,
               identities=[{**identity, "links": []}
                           for identity in assignment.new_identities]).consume()
    if assignment.links:
        tx.run(cypher("matching/link_records"), tenant=tenant, now=now,
               links=[_link_row(link, tenant, model_version)
                      for link in assignment.links]).consume()
    people = [(person, link.identity_id) for link in assignment.links
              if (person := record_identifiers(assignment.records[link.record_id]))]
    owners, property_owners = lock_owners(tx, tenant, [person for person, _ in people], now)
    plan = attach_identifiers(tenant, people, owners, property_owners)
    return write_plan(tx, tenant, plan, now, assignment.reviews)


def _link_row(link: RecordLink, tenant: str, model_version: str | None) -> dict[str, Any]:
    return {
        "key": record_key(tenant, link.record_id),
        "identity_id": link.identity_id,
        "strength": link.strength,
        "method": link.method,
        "match_probability": link.match_probability,
        "match_weight": link.match_weight,
        "model_version": model_version,
        "evidence": json.dumps(link.evidence, sort_keys=True),
    }


