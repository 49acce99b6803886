"""A consumer-group member that hands the events topic to a handler in batches.

Each batch is decoded (a message without a tenant header, or whose value is not a JSON
object, is poison), handed to the handler, which writes what it can and returns the events it
refuses with their reasons; poison and refused messages go to the dead-letter topic (waited
for), and only then are the batch's offsets committed. A crash anywhere before the commit
replays the batch, which the handler must take without double counting (events are
idempotent on their id).

A handler that fails tells an outage from a fault by the exception: a transient one (Kafka or
the graph unreachable, a deadlock: `transient(exc)`) gets the same batch again after a
growing back-off, until it succeeds or the consumer is told to stop. Any other is taken as a
fault that some event in the batch sets off (a bug meeting an unforeseen value): the batch is
split in halves, each handled on its own, down to the single events that still fail; those go
to the dead-letter topic with the error as the reason (logged with its traceback) and the
stream goes on. Unless the fault is everywhere: when `halt_after` events in a row have failed
alone (a bug or a broken deployment, not an odd event), the consumer stops with
`HandlerBroken`, that batch neither dead-lettered nor committed, so the stream is not drained
into the dead-letter topic; once the cause is fixed, a restart takes the events again.

Rebalances happen only inside `consume`, between batches, when nothing is in flight, so a
partition changes hands with its offsets committed.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, Producer, TopicPartition

from stormops.core.errors import StormOpsError
from stormops.stream._kafka import StreamUnavailable, client_config

log = logging.getLogger("stormops.stream")

MAX_BACKOFF = 30.0


class HandlerBroken(StormOpsError):
    """The handler failed on every event of a long run of them: stopped, nothing committed."""


def stream_transient(exc: BaseException) -> bool:
    """Whether a failure is Kafka or the network being away (worth waiting out)."""
    return isinstance(exc, (StreamUnavailable, KafkaException, OSError))


@dataclass(frozen=True)
class Envelope:
    """One decoded message: the tenant (from its header) and the event (its JSON value)."""

    tenant: str
    event: dict[str, Any]
    partition: int
    offset: int


@dataclass
class BatchStats:
    """What a run of the consumer did."""

    messages: int = 0
    dead_lettered: int = 0
    batches: int = 0
    failures: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class Progress:
    """Where the group stands on the partitions this member holds (after a commit)."""

    group: str
    topic: str
    member: str
    partitions: dict[int, dict[str, int]] = field(default_factory=dict)  # committed, end, lag


Refused = list[tuple[Envelope, str]]  # events refused, each with its reason
Handler = Callable[[list[Envelope]], Refused]  # events -> the refused ones


def _decode(message: Message) -> tuple[Envelope | None, str | None]:
    headers = dict(message.headers() or [])
    try:
        tenant = (headers.get("tenant") or b"").decode()
    except UnicodeDecodeError:
        tenant = ""
    if not tenant:
        return None, "tenant: missing header"
    value = message.value()
    if not value:
        return None, "value: empty message"
    try:
        event = json.loads(value)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, f"value: bad JSON ({exc})"
    if not isinstance(event, dict):
        return None, f"value: expected a JSON object, got {type(event).__name__}"
    return Envelope(tenant, event, message.partition(), message.offset()), None


class BatchConsumer:
    """A member of a consumer group on the events topic.

    Args:
        bootstrap: the Kafka bootstrap servers.
        topic: the events topic.
        dead_letter_topic: where refused messages go, with the reason.
        group: the consumer group; members split the topic's partitions.
        max_batch: most messages per batch.
        wait: seconds `consume` waits for a batch to fill (the latency floor).
        member: a name for this member, in logs and progress.
        on_progress: told where the group stands after a commit or while idle, at most
            every `progress_every` seconds.
        transient: whether a handler's exception is an outage to wait out (default
            `stream_transient`); any other splits the batch to find the events at fault.
        halt_after: events in a row that failed alone before the consumer stops with
            `HandlerBroken` instead of dead-lettering them.
    """

    def __init__(self, bootstrap: str, topic: str, dead_letter_topic: str, group: str, *,
                 max_batch: int = 2_000, wait: float = 0.05, member: str = "live",
                 on_progress: Callable[[Progress], None] | None = None,
                 progress_every: float = 1.0,
                 transient: Callable[[BaseException], bool] = stream_transient,
                 halt_after: int = 20) -> None:
        self.transient, self.halt_after = transient, halt_after
        self._failed_in_row = 0
        self.topic, self.dead_letter_topic, self.group = topic, dead_letter_topic, group
        self.max_batch, self.wait, self.member = max_batch, wait, member
        self.on_progress, self.progress_every = on_progress, progress_every
        self._consumer = Consumer(client_config(bootstrap, **{
            "group.id": group, "client.id": member, "enable.auto.commit": False,
            "enable.auto.offset.store": False, "auto.offset.reset": "earliest",
            "partition.assignment.strategy": "roundrobin", "session.timeout.ms": 10_000,
            "heartbeat.interval.ms": 1_000, "max.poll.interval.ms": 600_000,
            "fetch.wait.max.ms": 20}))
        self._dead = Producer(client_config(bootstrap, **{"enable.idempotence": True,
                                                          "linger.ms": 0}))
        self._assigned: set[int] = set()
        self._last_report = 0.0

    # -- the loop -------------------------------------------------------------------------

    def run(self, handle: Handler, should_stop: Callable[[], bool] = lambda: False,
            idle_exit: float | None = None) -> BatchStats:
        """Consume and hand over batches until `should_stop()` (checked between batches), or
        until nothing arrived for `idle_exit` seconds."""
        stats = BatchStats()
        started = idle_since = time.monotonic()
        self._consumer.subscribe([self.topic], on_assign=self._on_assign,
                                 on_revoke=self._on_revoke)
        while not should_stop():
            messages = self._consumer.consume(self.max_batch, self.wait)
            batch = [m for m in messages if not self._is_error(m)]
            if not batch:
                if idle_exit is not None and time.monotonic() - idle_since > idle_exit:
                    break
                self._report()
                continue
            if not self._process(batch, handle, stats, should_stop):
                break  # told to stop while the batch could not be written: not committed
            idle_since = time.monotonic()
        stats.seconds = time.monotonic() - started
        return stats

    def _process(self, batch: list[Message], handle: Handler, stats: BatchStats,
                 should_stop: Callable[[], bool]) -> bool:
        envelopes, dead = [], []
        for message in batch:
            envelope, reason = _decode(message)
            if envelope is None:
                dead.append((message, reason))
            else:
                envelopes.append((message, envelope))
        refused = self._handled([e for _, e in envelopes], handle, stats, should_stop) \
            if envelopes else []
        if refused is None:
            return False
        by_offset = {(m.partition(), m.offset()): m for m, _ in envelopes}
        dead += [(by_offset[(e.partition, e.offset)], reason) for e, reason in refused]
        if dead and self._retrying(lambda: self._dead_letter(dead), stats, should_stop,
                                   "dead-lettering") is None:
            return False
        self._commit(batch)
        stats.messages += len(batch)
        stats.dead_lettered += len(dead)
        stats.batches += 1
        self._report()
        return True

    def _handled(self, envelopes: list[Envelope], handle: Handler, stats: BatchStats,
                 should_stop: Callable[[], bool]) -> Refused | None:
        """`handle(envelopes)`, through outages; on a fault, each half on its own, down to the
        single events at fault, which are refused with the error. None when told to stop."""
        try:
            refused = self._retrying(lambda: handle(envelopes), stats, should_stop,
                                     f"writing a batch of {len(envelopes)}")
        except Exception as exc:  # a fault, not an outage (see the module docstring)
            stats.failures += 1
            if len(envelopes) == 1:
                self._failed_in_row += 1
                if self._failed_in_row >= self.halt_after:
                    raise HandlerBroken(
                        f"the handler failed on each of the last {self._failed_in_row} events "
                        f"alone ({type(exc).__name__}: {exc}): a fault of the code or its "
                        "setting, not of the events; stopped without committing this batch, "
                        "so a restart after the fix takes its events again") from exc
                where = f"{envelopes[0].partition}/{envelopes[0].offset}"
                log.error("event at %s refused: the handler failed on it", where, exc_info=True)
                return [(envelopes[0], f"handler failed: {type(exc).__name__}: {exc}")]
            log.warning("a batch of %d failed (%s: %s); handling its halves apart to find "
                        "the events at fault", len(envelopes), type(exc).__name__, exc)
        else:
            if refused is not None:
                self._failed_in_row = 0
            return refused
        at_fault: Refused = []
        half = len(envelopes) // 2
        for part in (envelopes[:half], envelopes[half:]):
            found = self._handled(part, handle, stats, should_stop)
            if found is None:
                return None
            at_fault += found
        return at_fault

    def _retrying(self, step: Callable[[], Any], stats: BatchStats,
                  should_stop: Callable[[], bool], what: str) -> Any:
        """`step()`, again after a growing pause while it fails transiently; None when told
        to stop. Any other exception is raised."""
        pause = 0.5
        while True:
            try:
                return step()
            except Exception as exc:
                if not self.transient(exc):
                    raise
                stats.failures += 1
                log.warning("%s failed (%s: %s); trying again in %.1fs", what,
                            type(exc).__name__, exc, pause)
            deadline = time.monotonic() + pause
            while time.monotonic() < deadline:
                if should_stop():
                    return None
                time.sleep(0.1)
            pause = min(pause * 2, MAX_BACKOFF)

    # -- helpers --------------------------------------------------------------------------

    def _is_error(self, message: Message) -> bool:
        error = message.error()
        if error is None:
            return False
        if error.fatal():
            raise StreamUnavailable(f"Kafka consumer failed: {error.str()}")
        if error.code() != KafkaError._PARTITION_EOF:
            log.warning("consumer: %s", error.str())
        return True

    def _dead_letter(self, dead: list[tuple[Message, str]]) -> bool:
        for message, reason in dead:
            headers = [*(message.headers() or []), ("error", reason.encode()),
                       ("source", f"{message.topic()}/{message.partition()}/"
                                  f"{message.offset()}".encode())]
            self._dead.produce(self.dead_letter_topic, message.value(), message.key(),
                               headers=headers)
            log.info("dead-lettered %s/%s: %s", message.partition(), message.offset(), reason)
        if self._dead.flush(30):
            raise StreamUnavailable("dead-letter messages not acknowledged within 30s")
        return True

    def _commit(self, batch: list[Message]) -> None:
        ends: dict[int, int] = {}
        for message in batch:
            ends[message.partition()] = max(ends.get(message.partition(), -1), message.offset())
        offsets = [TopicPartition(self.topic, p, end + 1) for p, end in sorted(ends.items())]
        try:
            self._consumer.commit(offsets=offsets, asynchronous=False)
        except KafkaException as exc:  # the next commit covers it; a replay is harmless
            log.warning("commit failed (%s); the batch may be replayed", exc)

    def _on_assign(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        self._assigned = {tp.partition for tp in partitions}
        log.info("%s assigned partitions %s", self.member, sorted(self._assigned))

    def _on_revoke(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        log.info("%s gives up partitions %s", self.member, sorted(tp.partition
                                                                   for tp in partitions))
        self._assigned = set()

    def _report(self) -> None:
        """Tell `on_progress` where the group stands, at most every `progress_every` seconds
        (a broker round trip and a graph write: not once per batch of a busy stream)."""
        now = time.monotonic()
        if self.on_progress is None or not self._assigned or (
                now - self._last_report < self.progress_every):
            return
        self._last_report = now
        parts = [TopicPartition(self.topic, p) for p in sorted(self._assigned)]
        try:  # the group's committed offsets (a position is unknown until a message arrives)
            committed = self._consumer.committed(parts, timeout=2)
        except KafkaException:
            return
        partitions = {}
        for tp in committed:
            low, high = self._consumer.get_watermark_offsets(tp, cached=True)
            if high < 0:  # nothing fetched from it yet (a fresh assignment): ask the broker
                try:
                    low, high = self._consumer.get_watermark_offsets(tp, timeout=2)
                except KafkaException:
                    continue
            done = tp.offset if tp.offset >= 0 else low
            partitions[tp.partition] = {"committed": done, "end": high,
                                        "lag": max(high - done, 0)}
        try:
            self.on_progress(Progress(self.group, self.topic, self.member, partitions))
        except Exception as exc:  # progress is informative: never stop the stream for it
            log.warning("recording progress failed: %s", exc)

    def close(self) -> None:
        """Leave the group (its partitions go to the other members at once)."""
        self._consumer.close()
        self._dead.flush(5)
