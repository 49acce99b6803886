"""The roadmap's LiveAttribution: attribution that moves while a storm is on.

Events reach journeys and profiles through the project's one event path
(`graph.journeys.JourneyGraph.record_events`: resolve through the identity graph, append,
recompute the journeys and profiles touched, set-based, once per batch), whether they come
from the stream (`stormops live run`), from `POST /v1/events` or from here. In the same
transaction, last, each journey the batch touched gets its share of its storm's live state
recomputed from the journey as it now is (`update_attribution`), under a lock on the storm's
state: the storm's figures are the sum of its journeys' shares, so an update touches one
journey's part and nothing else, and redoing it (a replayed event) changes nothing. One
transaction per batch means one commit, and events and live credit never part.
`attribution._live_credit` says why the credit equals a batch run over the same
journeys, Markov included.

The state lives in the graph (`graph.live`), so any API worker answers `get_live_dashboard`.
A state holds the config it was built under; when the tenant's config changes, the next update
of a storm rebuilds it from its journeys. Journeys changed outside the event path (a bulk
load, a merge or unmerge) are caught up by `reconcile`, which compares each share's
fingerprint with its journey.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

from stormops.attribution._live_credit import (
    WINDOW_MINUTES,
    config_key,
    empty_state,
    fingerprint,
    journey_shares,
    settle,
    storm_figures,
)
from stormops.attribution.config import AttributionConfig, parse_config
from stormops.attribution.engine import AttributionEngine
from stormops.attribution.incremental import IncrementalAttribution
from stormops.core.errors import NotFound, StormOpsError
from stormops.core.events import Event, parse_event
from stormops.core.segments import ProfileConfig
from stormops.experiments.platform import ExperimentsPlatform
from stormops.graph import WRITERS, Batch, write_in_order
from stormops.graph._values import chunks
from stormops.graph.attribution import AttributionStore, storm_arrays
from stormops.graph.journeys import (
    After,
    EventOutcome,
    JourneyGraph,
    RecordResult,
    event_keys,
)
from stormops.graph.live import LiveStore, ShareUpdate, StormUpdate, share_update, storm_of
from stormops.graph.profiles import BehavioralProfileService

__all__ = ["LiveAttribution", "LiveBatch"]

REBUILD_BATCH = 2_000  # journeys per transaction when a storm is rebuilt or reconciled
MIN_PART = 250  # events per transaction, at least, when a stream batch is split
LIFT_SECONDS = 30.0  # an experiment readout is reused this long by a dashboard


class _ConfigChanged(StormOpsError):
    """A storm's live state was built under another attribution config."""

    def __init__(self, storm_ids: list[str]) -> None:
        super().__init__(f"live state of {storm_ids} was built under another config")
        self.storm_ids = storm_ids


@dataclass
class LiveBatch:
    """What a batch of events did: each written event's outcome, the refused events by
    position with the reason, and the storms whose live state changed."""

    outcomes: list[EventOutcome] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    storms: list[str] = field(default_factory=list)

    @property
    def recorded(self) -> int:
        return sum(1 for o in self.outcomes if o.status == "recorded")


class LiveAttribution:
    """Live attribution of one tenant's storms.

    Args:
        tenant: the tenant.
        journeys: the event path (`graph.journeys.JourneyGraph`).
        store: the live state (`graph.live.LiveStore`).
        attribution: the tenant's attribution config (`graph.attribution.AttributionStore`).
        profiles: the tenant's channels (`graph.profiles.BehavioralProfileService`).
        experiments: the tenant's experiments, whose lift makes the credit incremental.
        stream: (consumer group, topic) whose progress the dashboard reports as lag; None
            when events do not come through the stream.

    Example:
        >>> live = Services(settings).live("acme")  # stormops.services builds it
        >>> live.process_event({"event_id": "e1", "storm_id": "S1", "ts": "2024-05-01T09:00",
        ...                     "channel": "door_knock", "identifiers": {"email": "jo@x.com"}})
        >>> live.get_live_dashboard("S1")["events"]
        1
    """

    def __init__(self, tenant: str, *, journeys: JourneyGraph, store: LiveStore,
                 attribution: AttributionStore, profiles: BehavioralProfileService,
                 experiments: ExperimentsPlatform,
                 stream: tuple[str, str] | None = None) -> None:
        self.tenant = tenant
        self.journeys = journeys
        self.store = store
        self.stream = stream
        self._attribution = attribution
        self._profiles = profiles
        self._experiments = experiments
        self._lift: dict[str, tuple[float, dict[str, Any] | None]] = {}

    # -- the roadmap's three operations ---------------------------------------------------

    def process_event(self, event: Mapping[str, Any]) -> dict[str, Any]:
        """Record one event through the event path and update its storm's live attribution.

        Returns:
            {event_id, identity_id, journey_id, status, identity}.

        Raises:
            InvalidInput: a bad event, naming the field; nothing is written.
            NotFound: the event names an identity_id this tenant does not have.
        """
        result = self.record_event(event)
        return {k: result[k] for k in ("event_id", "identity_id", "journey_id", "status",
                                       "identity")}

    def update_attribution(self, journey_id: str) -> list[str]:
        """Recompute one journey's share of its storm's live state; returns the storms whose
        state changed (none when the share was already up to date)."""
        return self.update_journeys([journey_id])

    def get_live_dashboard(self, storm_id: str) -> dict[str, Any]:
        """The storm's live figures.

        Returns:
            {storm_id, name, method, value, journeys, events, conversions, converted_journeys,
            revenue, spend, newest_event_at, per_minute: [{minute, events, conversions}]
            over the window_minutes up to the newest event, channels: [{channel, touches,
            spend, credit, credit_revenue, credit_conversions, cpa, roas}], credit:
            {channel: credit}, details, incremental (None without an experiment over the
            storm), lag ({total, partitions, updated_at}, None without a stream), version,
            updated_at}.

        Raises:
            NotFound: no event of the storm has been through live attribution.
        """
        row = self.store.read_storm(self.tenant, storm_id)
        if row is None:
            raise NotFound(f"storm {storm_id} has no live attribution yet", field="storm_id")
        state = row["state"]
        config = parse_config(json.loads(state["config"]))
        figures = storm_figures(state, config)
        return {
            "storm_id": storm_id, "name": row["name"], **{k: figures[k] for k in (
                "method", "value")},
            "journeys": state["journeys"], "events": state["events"],
            "conversions": state["conversions"], "converted_journeys": state["converted"],
            "revenue": state["revenue"], "spend": state["spend"],
            "newest_event_at": _iso(state["newest"]),
            "per_minute": [{"minute": _iso(int(m)), "events": v[0], "conversions": v[1]}
                           for m, v in sorted(state["minutes"].items(), key=lambda i: int(i[0]))],
            "window_minutes": WINDOW_MINUTES,
            "channels": figures["channels"], "credit": figures["credit"],
            "details": figures["details"],
            "incremental": self._incremental(storm_id, figures["credit"], config),
            "lag": self._lag(), "version": row["version"], "updated_at": row["updated_at"],
        }

    # -- batches, rebuilds and catching up ------------------------------------------------

    def record_event(self, event: Mapping[str, Any]) -> dict[str, Any]:
        """`JourneyGraph.record_event` with the live update in its transaction (the HTTP
        path for one event): the outcome and the committed profile."""
        return self._written(lambda after: self.journeys.record_event(self.tenant, event,
                                                                      after))

    def record_events(self, events: Sequence[Mapping[str, Any]]) -> RecordResult:
        """`JourneyGraph.record_events` with the live update in its transaction (the HTTP
        path for a batch): all or nothing; the outcomes, without the profiles.

        Raises:
            InvalidInput: the first bad event's field, as `events.{position}.{field}`.
            NotFound: an event names an identity_id this tenant does not have.
        """
        return self._written(lambda after: self.journeys.record_events(
            self.tenant, events, after, profiles=False))

    def process_events(self, events: Sequence[Mapping[str, Any]],
                       writers: int = WRITERS) -> LiveBatch:
        """Record a batch (the stream's path): bad events are refused with their reason and
        the rest written, with the live update. A large batch is written as `writers`
        transactions at a time, each of a contiguous part (at least `MIN_PART` events); a
        part waits for an earlier one it shares a person, property or event with (see
        `graph.write_in_order`), and the storm's live state takes them in turn under its lock.

        Duplicates (known event ids) are written nowhere, but their journeys' shares are
        recomputed too (a no-op when they are up to date).
        """
        batch = LiveBatch()
        config = self._profiles.config(self.tenant)
        good: list[tuple[int, Event]] = []
        for pos, raw in enumerate(events):
            try:
                good.append((pos, parse_event(raw, config.channels, self.journeys.phone_region)))
            except StormOpsError as exc:
                batch.rejected.append((pos, exc.message))
        storms: set[str] = set()

        def settle(_: object, part: LiveBatch) -> None:
            batch.outcomes += part.outcomes
            batch.rejected.extend(part.rejected)
            storms.update(part.storms)

        parts = _parts(good, writers)  # keys only matter between parts
        write_in_order((Batch(partial(self._write_part, part, config),
                              event_keys(self.tenant, [event for _, event in part])
                              if len(parts) > 1 else None)
                        for part in parts), settle, writers)
        batch.rejected.sort()
        batch.storms = sorted(storms)
        return batch

    def _write_part(self, part: list[tuple[int, Event]], config: ProfileConfig) -> LiveBatch:
        """One transaction of a batch; on an unknown identity_id, one event at a time."""
        done = LiveBatch()
        try:
            result = self._written(lambda after: self.journeys.write_events(
                self.tenant, [event for _, event in part], config, after))
            done.outcomes, done.storms = result.outcomes, list(result.after or ())
        except NotFound:  # an unknown identity_id: find which, one at a time
            for pos, event in part:
                try:
                    result = self._written(lambda after, event=event: self.journeys.write_events(
                        self.tenant, [event], config, after))
                    done.outcomes += result.outcomes
                    done.storms += list(result.after or ())
                except NotFound as exc:
                    done.rejected.append((pos, exc.message))
        return done

    def _written(self, write: Callable[[After], Any]) -> Any:
        """`write(after)`, `after` being the live update of the journeys the write touched,
        in the write's transaction. A storm whose state was built under another config is
        rebuilt first (the write rolled back), then the write runs again."""
        after = share_update(self.tenant, _Compute(self._config()))
        try:
            return write(after)
        except _ConfigChanged as exc:
            for storm_id in exc.storm_ids:
                self.rebuild(storm_id)
            return write(after)

    def update_journeys(self, journey_ids: Sequence[str]) -> list[str]:
        """Recompute these journeys' shares (see `update_attribution`); a storm whose state
        was built under another config is rebuilt first. Returns the storms changed."""
        config = self._config()
        try:
            updated = self.store.update_journeys(self.tenant, journey_ids,
                                                 _Compute(config))
        except _ConfigChanged as exc:
            for storm_id in exc.storm_ids:
                self.rebuild(storm_id)
            updated = self.store.update_journeys(self.tenant, journey_ids,
                                                 _Compute(config))
        return sorted(updated)

    def rebuild(self, storm_id: str) -> int:
        """Drop the storm's live state and compute it again from all its journeys (after a
        config change, or on demand); returns the journeys counted."""
        self.store.reset_storm(self.tenant, storm_id)
        return self._update_in_batches(self.store.storm_journeys(self.tenant, storm_id))

    def reconcile(self, storm_id: str) -> int:
        """Bring the storm's live state up to date with journeys changed outside the event
        path (bulk loads, merges); returns the journeys updated."""
        return self._update_in_batches(self.store.drifted_journeys(self.tenant, storm_id))

    def _update_in_batches(self, journey_ids: list[str]) -> int:
        for start in range(0, len(journey_ids), REBUILD_BATCH):
            self.update_journeys(journey_ids[start:start + REBUILD_BATCH])
        return len(journey_ids)

    # -- helpers --------------------------------------------------------------------------

    def _config(self) -> AttributionConfig:
        return parse_config(self._attribution.get_config(self.tenant))

    def _lag(self) -> dict[str, Any] | None:
        if self.stream is None:
            return None
        rows = self.store.read_progress(*self.stream)
        if not rows:
            return {"total": None, "partitions": [], "updated_at": None}
        return {"total": sum(r["lag"] for r in rows),
                "partitions": [{k: r[k] for k in ("partition", "committed", "end", "lag",
                                                  "member")} for r in rows],
                "updated_at": max(r["updated_at"] for r in rows).isoformat()}

    def _incremental(self, storm_id: str, credit: dict[str, float],
                     config: AttributionConfig) -> dict[str, Any] | None:
        """The storm's lift applied to the live credit, when an experiment covers it. The
        experiment readout is reused for LIFT_SECONDS (it changes with conversions, slowly)."""
        at, readout = self._lift.get(storm_id, (0.0, None))
        if time.monotonic() - at > LIFT_SECONDS:
            engine = AttributionEngine(self.tenant, config, store=self._attribution)
            incremental = IncrementalAttribution(engine, self._experiments)
            try:
                readout = incremental.incremental_from(storm_id, credit, config.default_method)
            except NotFound:
                readout = None
            self._lift[storm_id] = (time.monotonic(), readout)
        return readout


class _Compute:
    """What `LiveStore.update_journeys` runs under the storms' lock: new shares from the
    journeys, and each storm's state with old shares replaced by new ones."""

    def __init__(self, config: AttributionConfig) -> None:
        self.config = config
        self.key = config_key(config)

    def __call__(self, rows: list[dict], old: dict[str, dict],
                 states: dict[str, dict | None]) -> tuple[dict[str, ShareUpdate],
                                                          dict[str, StormUpdate]]:
        stale = [s for s, state in states.items() if state and state["config"] != self.key]
        if stale:
            raise _ConfigChanged(stale)
        arrays = storm_arrays((r["journey_id"], r["channels"], r["touch_ms"], r["converted"],
                               r["converted_ms"], r["revenue"]) for r in rows)
        new = journey_shares(arrays, {r["journey_id"]: r["events"] for r in rows}, self.config)
        shares: dict[str, ShareUpdate] = {}
        changes: dict[str, list[tuple[dict | None, dict | None]]] = {}
        for journey_id in set(old) | set(new):
            before, after = old.get(journey_id), new.get(journey_id)
            if before == after:
                continue  # a replay, or nothing new: nothing to write
            shares[journey_id] = (after, fingerprint(after) if after else None)
            changes.setdefault(storm_of(journey_id), []).append((before, after))
        updated: dict[str, StormUpdate] = {}
        for storm_id, pairs in changes.items():
            state = states.get(storm_id) or empty_state(self.config)
            settle(state, pairs)
            summary = {"method": self.config.default_method, "events": state["events"],
                       "conversions": state["conversions"], "revenue": state["revenue"],
                       "spend": state["spend"], "journeys": state["journeys"],
                       "newest_ms": state["newest"]}
            updated[storm_id] = (state, summary)
        return shares, updated


def _iso(ms: int | None) -> str | None:
    return None if ms is None else datetime.fromtimestamp(ms / 1000, UTC).isoformat()


def _parts(items: list[Any], writers: int) -> list[list[Any]]:
    """`items` in up to `writers` contiguous parts of near-equal size, none under MIN_PART
    (one part when there are few)."""
    count = max(1, min(writers, len(items) // MIN_PART))
    return list(chunks(items, -(-len(items) // count))) if items else []
