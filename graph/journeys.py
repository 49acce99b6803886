"""Journeys: every event lands on an identity's path through a storm, and its profile follows.

Graph model:

    (:Storm {key: tenant|storm_id, storm_id, tenant_id, name?, date?, sii?})
    (:Storm)-[:IMPACTED {sii}]->(:Property)                   SII measured at a property
    (:Identity)-[:JOURNEY]->(:Journey[:Stale] {journey_id: identity_id|storm_id, tenant_id,
        identity_id, storm_id, started_at, last_at, touches, channels, touch_ts, conversions,
        converted, converted_at, revenue, cost, play, uplift_score, sii_score, property_id})
    (:Journey)-[:IN_STORM]->(:Storm)
    (:Journey)-[:HAS]->(:Touchpoint {key: tenant|event_id, event_id, tenant_id, kind:
        touch|conversion, storm_id, ts, channel, cost, revenue, campaign, creative, play,
        sii, uplift, property_id})

A journey is one identity's path within one storm; its events are ordered by (ts, event_id)
and its `channels`/`touch_ts` lists hold the touch path in that order, so attribution reads a
storm as one row per journey (`journey/storm_journeys`, served by the (tenant_id, storm_id)
index). Journey fields are always recomputed from the events, never adjusted in place.

An event carries identifiers, not an identity id: `record_events` resolves them through the
identity graph exactly as linking a record does (`_identity_tx.link_batch`: an unknown
identifier creates an identity), appends the event to the journey and recomputes the journey
and the profile, all in one transaction. Events are idempotent on their id: a second event
with a known id changes nothing and is reported as a duplicate.

A bulk load (`load_events`) leaves the recomputation to its end: each batch resolves and
appends its events and labels the journeys it wrote `:Stale`; `refresh` then recomputes each
Stale journey once, with its identity's profile in the same transaction (clearing the label),
instead of once per batch that touched it. A load cut short leaves Stale journeys, which the
tenant's next load finishes.

Events arrive validated by `core.events.parse_event` (the fields are listed there).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from neo4j import ManagedTransaction

from stormops.core.errors import NotFound, StormOpsError
from stormops.core.events import Event, parse_event, parse_storm
from stormops.core.identifiers import PersonIdentifiers
from stormops.core.segments import ProfileConfig
from stormops.cypher import cypher
from stormops.graph._identifiers import check_tenant, property_key
from stormops.graph._identity_tx import link_batch, lock_identities, people_keys
from stormops.graph._pipeline import EVENT_BATCH, WRITERS, Batch, write_in_order
from stormops.graph._profiles import (
    read_config,
    read_profile,
    recompute_journeys,
    recompute_profiles,
    shape_journeys,
    shape_profile,
)
from stormops.graph._store import GraphStore
from stormops.graph._values import chunks

DEFAULT_BATCH = EVENT_BATCH
DEFAULT_WORKERS = WRITERS
DEFAULT_REFRESH = 2_000  # journeys recomputed per transaction after a bulk load


@dataclass(frozen=True)
class EventOutcome:
    """Where an event landed. `status` is recorded or duplicate; `identity` says whether its
    identifiers were linked to a known identity, created one, or were queued for review."""

    event_id: str
    identity_id: str | None
    journey_id: str | None
    status: str
    identity: str | None = None


@dataclass
class RecordResult:
    """Each event's outcome, in input order, the profiles the transaction recomputed (when
    asked for), the journeys it recomputed as `live/journey_states` reads them (when there is
    an `after` step, which may use them), and what that step returned."""

    outcomes: list[EventOutcome]
    profiles: dict[str, dict[str, Any] | None]
    after: Any = None
    journeys: dict[str, dict[str, Any]] = field(default_factory=dict)


# after(tx, result): a step run in the event write's own transaction once the events are
# written and their journeys and profiles recomputed (live attribution's share update).
After = Callable[[ManagedTransaction, RecordResult], Any]


@dataclass
class LoadResult:
    """Counts of a bulk load, with each refused row's position and reason."""

    recorded: int = 0
    duplicates: int = 0
    identities_created: int = 0
    journeys_refreshed: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per stage: append, recompute


def event_key(tenant: str, event_id: str) -> str:
    """The unique key of a Touchpoint: the tenant prefix keeps tenants apart."""
    return f"{tenant}|{event_id}"


def _signature(person: PersonIdentifiers) -> tuple:
    return (person.property_id, tuple(sorted(person.values.items())), person.first_name,
            person.last_name)


def _write_events(tx: ManagedTransaction, tenant: str, events: list[Event],
                  config: ProfileConfig, deferred: bool = False, returning: bool = True,
                  after: After | None = None) -> RecordResult:
    """Resolve, append and recompute: the whole event path in the caller's transaction.

    With `deferred=True` (bulk loads) the journeys written are left labelled Stale and
    nothing is recomputed: `_refresh` does it once per journey and identity at the end of
    the load, instead of once per batch that touches them. `returning=False` leaves the
    profiles out of the result (they are stored all the same); `after` runs last.
    """
    now = datetime.now(UTC)
    keys = [event_key(tenant, e.event_id) for e in events]
    known = {row["key"]: row for row in
             tx.run(cypher("journey/find_events"), keys=sorted(set(keys))).data()}
    first: dict[str, int] = {}
    for pos, key in enumerate(keys):
        if key not in known and key not in first:
            first[key] = pos
    fresh = sorted(first.values())

    # Resolve identifiers through the identity graph (locking them), once per distinct person.
    people: dict[tuple, int] = {}
    unique: list[PersonIdentifiers] = []
    for pos in fresh:
        person = events[pos].person
        if person is not None and _signature(person) not in people:
            people[_signature(person)] = len(unique)
            unique.append(person)
    links = link_batch(tx, tenant, unique).outcomes if unique else []
    named = {events[p].identity_id for p in fresh} - {None}
    live = _live_identities(tx, tenant, named | {identity_id for identity_id, _ in links})

    who: dict[int, tuple[str, str | None]] = {}
    rows = []
    for pos in fresh:
        event = events[pos]
        if event.person is not None:
            identity_id, linked = links[people[_signature(event.person)]]
            who[pos] = (live[identity_id], linked)
        else:
            who[pos] = (live[event.identity_id], None)
        identity_id = who[pos][0]
        prop = event.person.property_id if event.person else None
        seconds, micros = divmod(_epoch_micros(event.ts), 1_000_000)
        rows.append({"key": keys[pos], "journey_id": f"{identity_id}|{event.storm_id}",
                     "identity_id": identity_id, "storm_id": event.storm_id,
                     "storm_key": f"{tenant}|{event.storm_id}",
                     "property_key": property_key(tenant, prop) if prop else None,
                     "ts_s": seconds, "ts_ns": micros * 1000, "props": event.props()})
    rows.sort(key=lambda r: (r["journey_id"], r["key"]))
    opened = {r["journey_id"]: {k: r[k] for k in ("journey_id", "identity_id", "storm_id",
                                                  "storm_key")} for r in rows}
    if opened:
        tx.run(cypher("journey/open_journeys"), tenant=tenant,
               journeys=list(opened.values())).consume()
    written = set(tx.run(cypher("journey/append_events"), tenant=tenant,
                         events=rows).single(strict=True)["keys"])
    profiles: dict[str, dict[str, Any] | None] = {}
    states: dict[str, dict[str, Any]] = {}
    if not deferred:
        # also drops a journey opened only for a raced duplicate
        states = recompute_journeys(tx, opened, states=after is not None)
        profiles = recompute_profiles(
            tx, tenant, {r["identity_id"] for r in rows if r["key"] in written}, config, now,
            returning)

    outcomes = []
    for pos, (event, key) in enumerate(zip(events, keys, strict=True)):
        if key in known:
            row = known[key]
            outcomes.append(EventOutcome(event.event_id, row["identity_id"], row["journey_id"],
                                         "duplicate"))
            continue
        origin = first[key]
        identity_id, linked = who[origin]
        journey_id = f"{identity_id}|{events[origin].storm_id}"
        recorded = origin == pos and key in written
        outcomes.append(EventOutcome(event.event_id, identity_id, journey_id,
                                     "recorded" if recorded else "duplicate",
                                     linked if recorded else None))
    result = RecordResult(outcomes, profiles, journeys=states)
    if after is not None:
        result.after = after(tx, result)
    return result


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _epoch_micros(ts: datetime) -> int:
    return (ts - _EPOCH) // timedelta(microseconds=1)


def _live_identities(tx: ManagedTransaction, tenant: str, ids: set[str]) -> dict[str, str]:
    """The live identity of each identity id (following merges), locked.

    Locked first, then read: an identity active under its lock stays live until this
    transaction ends. One merged away is followed to its survivor, locked and checked in turn.

    Raises:
        NotFound: an id this tenant does not have (or whose merges end nowhere active).
    """
    live: dict[str, str] = {}
    todo = {identity_id: identity_id for identity_id in ids}  # named id -> id to lock
    while todo:
        status = lock_identities(tx, tenant, list(set(todo.values())))
        merged = {}
        for named, target in todo.items():
            if status.get(target) == "active":
                live[named] = target
            elif target in status:
                merged[named] = target
            else:
                raise NotFound(f"identity {named} not found", field="identity_id")
        if not merged:
            break
        found = tx.run(cypher("identity/resolve_many"), tenant=tenant, keys=[], property_keys=[],
                       identity_ids=sorted(set(merged.values()))).single(strict=True)["found"]
        survivors = {lookup: identity_id for _, lookup, identity_id in found}
        todo = {}
        for named, target in merged.items():
            if target not in survivors:
                raise NotFound(f"identity {named} not found", field="identity_id")
            todo[named] = survivors[target]
    return live


def _record(tx: ManagedTransaction, tenant: str, raw: list[Mapping[str, Any]], region: str,
            batch: bool, returning: bool = True, after: After | None = None) -> RecordResult:
    """Validate against the tenant's channels, then write; a bad event rolls back everything."""
    config = read_config(tx, tenant)
    events = [parse_event(event, config.channels, region, f"events.{pos}." if batch else "")
              for pos, event in enumerate(raw)]
    return _write_events(tx, tenant, events, config, returning=returning, after=after)


class JourneyGraph(GraphStore):
    """Events, journeys and storms over one Neo4j database.

    Args:
        driver: an open driver; the caller closes it.
        database: the Neo4j database name.
        phone_region: region for phone numbers written without a country code.

    Example:
        >>> journeys = JourneyGraph(driver, "neo4j")
        >>> out = journeys.record_event("acme", {"event_id": "e1", "storm_id": "S1",
        ...     "ts": "2024-05-01T09:00:00Z", "channel": "door_knock",
        ...     "identifiers": {"email": "jo@x.com"}})
        >>> out["status"], out["profile"]["primary_channel"]
        ('recorded', 'door_knock')
    """

    def record_event(self, tenant: str, event: Mapping[str, Any],
                     after: After | None = None) -> dict[str, Any]:
        """Record one event: resolve, append, recompute (then `after`), in one transaction.

        Returns:
            {event_id, identity_id, journey_id, status, identity, profile}: the profile as
            committed (for a duplicate, as it stands).

        Raises:
            InvalidInput: a bad event, naming the field; nothing is written.
            NotFound: the event names an identity_id this tenant does not have.
        """
        check_tenant(tenant)
        result = self._write(_record, tenant, [event], self.phone_region, False, True, after)
        outcome = result.outcomes[0]
        profile = result.profiles.get(outcome.identity_id)
        if profile is None and outcome.identity_id:  # a duplicate: the profile as it stands
            row, config = self._read(read_profile, tenant, outcome.identity_id)
            profile = shape_profile(outcome.identity_id, row, config)
            profile.pop("status")
        return {**outcome.__dict__, "profile": profile}

    def record_events(self, tenant: str, events: Sequence[Mapping[str, Any]],
                      after: After | None = None, profiles: bool = True) -> RecordResult:
        """Record a batch of events in one transaction, `after` included; all or nothing.
        With `profiles=False` the recomputed profiles are stored but not returned.

        Raises:
            InvalidInput: the first bad event's field, as `events.{position}.{field}`;
                nothing is written.
            NotFound: an event names an identity_id this tenant does not have.
        """
        check_tenant(tenant)
        if not events:
            return RecordResult([], {})
        return self._write(_record, tenant, list(events), self.phone_region, True, profiles,
                           after)

    def write_events(self, tenant: str, events: Sequence[Event], config: ProfileConfig,
                     after: After | None = None) -> RecordResult:
        """Record a batch of events already validated (`parse_event` under `config`, the
        tenant's) in one transaction, `after` included; the profiles are not returned. The
        stream's path: it validates each event to refuse the bad ones alone."""
        check_tenant(tenant)
        if not events:
            return RecordResult([], {})
        return self._write(_write_events, tenant, list(events), config, False, False, after)

    def load_events(
        self, tenant: str, rows: Iterable[Mapping[str, Any]], batch_size: int = DEFAULT_BATCH,
        workers: int = DEFAULT_WORKERS, progress: Callable[[int], None] | None = None,
        refreshing: Callable[[int, int], None] | None = None,
    ) -> LoadResult:
        """Bulk load: events (nested, or flat rows with `row_to_event` applied by the caller) in
        transactions of `batch_size`, `workers` at a time. Bad rows are reported by position
        and skipped; everything else is written. Re-loading the same file adds nothing.

        Each batch resolves and appends its events and labels their journeys Stale; the
        journeys and profiles are then recomputed once each (`refresh`, reported to
        `refreshing(done, total)`), so a profile shows a bulk load when the load returns. A
        load cut short leaves its journeys Stale, and the next load (or `refresh`) of the
        tenant recomputes them.
        """
        check_tenant(tenant)
        config = self._read(read_config, tenant)
        result = LoadResult()
        started = time.perf_counter()

        def batches() -> Iterator[Batch]:
            for chunk in chunks(enumerate(rows), batch_size):
                events = []
                for pos, raw in chunk:
                    try:
                        events.append(parse_event(raw, config.channels, self.phone_region))
                    except StormOpsError as exc:
                        result.rejected.append((pos, exc.message))
                write = partial(self._write, _write_events, tenant, events, config,
                                True) if events else None
                yield Batch(write, event_keys(tenant, events), len(chunk))

        write_in_order(batches(), lambda size, outcome: _tally(result, size, outcome, progress),
                       workers)
        appended = time.perf_counter()
        result.journeys_refreshed = self.refresh(tenant, workers=workers, progress=refreshing)
        result.seconds = {"append": appended - started,
                          "recompute": time.perf_counter() - appended}
        return result

    def refresh(self, tenant: str, batch_size: int = DEFAULT_REFRESH,
                workers: int = DEFAULT_WORKERS,
                progress: Callable[[int, int], None] | None = None) -> int:
        """Recompute the tenant's Stale journeys and the profiles of their identities.

        All Stale journeys of an identity go in one transaction with its profile, about
        `batch_size` journeys per transaction, `workers` at a time. Returns the number of
        journeys recomputed.
        """
        check_tenant(tenant)
        config = self._read(read_config, tenant)
        stale: dict[str, list[str]] = {}
        for row in self._rows("journey/stale_journeys", {"tenant": tenant}):
            stale.setdefault(row["identity_id"], []).append(row["journey_id"])
        total = sum(map(len, stale.values()))
        groups: list[dict[str, list[str]]] = [{}]
        size = 0
        for identity_id, journey_ids in stale.items():
            if size >= batch_size:
                groups.append({})
                size = 0
            groups[-1][identity_id] = journey_ids
            size += len(journey_ids)
        done = 0
        with ThreadPoolExecutor(max(1, workers)) as pool:
            futures = [pool.submit(self._write, _refresh, tenant, group, config)
                       for group in groups if group]
            for future in futures:
                done += future.result()
                if progress:
                    progress(done, total)
        return done

    def upsert_storms(self, tenant: str, storms: Sequence[Mapping[str, Any]]) -> int:
        """Create or update storms: {storm_id, name?, date?, sii?, properties?: {id: sii, or
        id: {sii?, zip?}}}.

        `date` is an ISO date; `sii` (0-100) is the storm-wide impact index, and `properties`
        the index measured at given properties (events there without their own `sii` take it).
        Returns the number of storms written.

        Raises:
            InvalidInput: naming the storm and field, e.g. `storms.2.sii`.
        """
        check_tenant(tenant)
        rows = [_storm_row(tenant, storm, f"storms.{pos}.") for pos, storm in enumerate(storms)]
        self._write(_upsert_storms, tenant, rows)
        return len(rows)

    def journeys(self, tenant: str, identity_id: str) -> dict[str, Any]:
        """{identity_id, journeys: [{...journey, events: [...in order]}]} of an identity (a
        merged id answers with its survivor's).

        Raises:
            NotFound: no such identity in this tenant.
        """
        check_tenant(tenant)
        rows = self._rows("journey/identity_journeys",
                          {"tenant": tenant, "identity_id": identity_id})
        if not rows:
            raise NotFound(f"identity {identity_id} not found", field="identity_id")
        return shape_journeys(rows[0])

    def storm_journeys(self, tenant: str, storm_id: str) -> list[dict[str, Any]]:
        """Every journey of a storm, one dict each: the touch path as `channels` and
        `touch_ms` (epoch milliseconds) lists, and the outcome (see journey/storm_journeys)."""
        check_tenant(tenant)
        return self._rows("journey/storm_journeys", {"tenant": tenant, "storm_id": storm_id})


def event_keys(tenant: str, events: Sequence[Event]) -> frozenset[str]:
    """What a batch of events locks: its people's identifier and property keys, the identity
    ids it names and its event keys."""
    return people_keys(tenant, [e.person for e in events if e.person is not None]) | {
        event_key(tenant, e.event_id) for e in events} | {
        e.identity_id for e in events if e.identity_id is not None}


def _tally(result: LoadResult, size: int, outcome: RecordResult | None,
           progress: Callable[[int], None] | None) -> None:
    if outcome is not None:
        created = set()
        for item in outcome.outcomes:
            if item.status == "recorded":
                result.recorded += 1
                if item.identity == "created":
                    created.add(item.identity_id)
            else:
                result.duplicates += 1
        result.identities_created += len(created)  # an identity is created in one batch
    if progress:
        progress(size)


def _storm_row(tenant: str, storm: Mapping[str, Any], where: str) -> dict[str, Any]:
    """A storm as `journey/upsert_storms` writes it: validated, with its keys."""
    row = parse_storm(storm, where)
    return {**row, "key": f"{tenant}|{row['storm_id']}",
            "properties": [{**p, "key": property_key(tenant, p["property_id"])}
                           for p in row["properties"]]}


def _refresh(tx: ManagedTransaction, tenant: str, stale: dict[str, list[str]],
             config: ProfileConfig) -> int:
    """Recompute Stale journeys (each identity's together) and those identities' profiles."""
    journey_ids = [j for ids in stale.values() for j in ids]
    recompute_journeys(tx, journey_ids)
    recompute_profiles(tx, tenant, stale, config, returning=False)
    return len(journey_ids)


def _upsert_storms(tx: ManagedTransaction, tenant: str, rows: list[dict]) -> None:
    tx.run(cypher("journey/upsert_storms"), tenant=tenant, storms=rows,
           now=datetime.now(UTC)).consume()
