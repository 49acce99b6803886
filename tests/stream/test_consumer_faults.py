"""The batch consumer against a real broker: an outage is waited out with the batch whole;
a fault an event sets off (a bug meeting an unforeseen value) splits the batch until that
event alone is refused, to the dead-letter topic with the error, and the stream goes on; a
fault on every event stops the consumer instead, nothing committed."""

from __future__ import annotations

import json
import time

import pytest

from stormops.core.settings import Settings
from stormops.stream import BatchConsumer, Envelope, EventPublisher, HandlerBroken
from tests.kafka_fixtures import fresh_streams, read_topic, require_broker


class Flaky:
    """A handler that writes all or nothing: the first call meets an outage, and a batch
    holding the event `boom` meets a bug."""

    def __init__(self) -> None:
        self.calls: list[int] = []
        self.written: list[str] = []

    def __call__(self, envelopes: list[Envelope]) -> list[tuple[Envelope, str]]:
        self.calls.append(len(envelopes))
        if len(self.calls) == 1:
            raise ConnectionError("the graph is restarting")
        ids = [e.event["event_id"] for e in envelopes]
        if "boom" in ids:
            raise TypeError("unsupported operand type(s) for +: 'int' and 'str'")
        self.written += ids
        return []


def _consumer(settings: Settings, names, member: str) -> BatchConsumer:
    return BatchConsumer(settings.kafka_bootstrap, names.topic, names.dead_letter, names.group,
                         max_batch=500, wait=0.5, member=member)


def test_an_outage_is_retried_whole_and_a_fault_isolates_its_event(settings: Settings) -> None:
    require_broker(settings)
    names = fresh_streams(settings, partitions=1)
    ids = [f"e{n}" for n in range(40)]
    ids.insert(23, "boom")
    with EventPublisher(settings.kafka_bootstrap, names.topic) as publisher:
        publisher.publish("acme", [{"event_id": i, "storm_id": "S1"} for i in ids])

    handler = Flaky()
    consumer = _consumer(settings, names, "faults")
    deadline = time.monotonic() + 60  # a consumer that retried the fault would loop on
    try:
        stats = consumer.run(handler, lambda: time.monotonic() > deadline, idle_exit=3.0)
    finally:
        consumer.close()

    assert handler.calls[1] == handler.calls[0]  # after the outage: the same batch, whole
    assert sorted(handler.written) == sorted(i for i in ids if i != "boom")
    assert len(handler.written) == len(set(handler.written))  # written once each
    assert stats.messages == len(ids) and stats.dead_lettered == 1
    dead = read_topic(settings, names.dead_letter, 2, timeout=10)
    assert [json.loads(m.value())["event_id"] for m in dead] == ["boom"]
    headers = dict(dead[0].headers())
    assert headers["error"].decode().startswith("handler failed: TypeError: unsupported")
    assert headers["tenant"] == b"acme"

    again = _consumer(settings, names, "after")  # the offsets were committed past everything
    nothing = Flaky()
    nothing.calls.append(0)  # no outage this time
    try:
        assert again.run(nothing, idle_exit=3.0).messages == 0
    finally:
        again.close()


def test_an_outage_holds_the_batch_uncommitted_until_the_consumer_stops(
        settings: Settings) -> None:
    require_broker(settings)
    names = fresh_streams(settings, partitions=1)
    with EventPublisher(settings.kafka_bootstrap, names.topic) as publisher:
        publisher.publish("acme", [{"event_id": "only", "storm_id": "S1"}])
    calls = []

    def away(envelopes: list[Envelope]) -> list[tuple[Envelope, str]]:
        calls.append(len(envelopes))
        raise ConnectionError("refused")

    consumer = _consumer(settings, names, "waiting")
    try:
        stats = consumer.run(away, should_stop=lambda: len(calls) >= 2)
    finally:
        consumer.close()
    assert calls == [1, 1] and stats.failures == 2
    assert stats.messages == 0 and stats.dead_lettered == 0

    handler = Flaky()
    handler.calls.append(0)  # back: no outage now
    later = _consumer(settings, names, "later")
    try:
        assert later.run(handler, idle_exit=3.0).messages == 1
    finally:
        later.close()
    assert handler.written == ["only"]


def test_a_fault_on_every_event_stops_the_consumer_with_nothing_committed(
        settings: Settings) -> None:
    require_broker(settings)
    names = fresh_streams(settings, partitions=1)
    ids = [f"e{n}" for n in range(12)]
    with EventPublisher(settings.kafka_bootstrap, names.topic) as publisher:
        publisher.publish("acme", [{"event_id": i, "storm_id": "S1"} for i in ids])

    def broken(envelopes: list[Envelope]) -> list[tuple[Envelope, str]]:
        raise KeyError("storm_sii")  # e.g. a deployment that reads a field nobody sends

    consumer = BatchConsumer(settings.kafka_bootstrap, names.topic, names.dead_letter,
                             names.group, max_batch=500, wait=0.5, member="broken",
                             halt_after=5)
    deadline = time.monotonic() + 60
    try:
        with pytest.raises(HandlerBroken, match="each of the last 5 events alone"):
            consumer.run(broken, lambda: time.monotonic() > deadline, idle_exit=10.0)
    finally:
        consumer.close()
    assert read_topic(settings, names.dead_letter, 1, timeout=3) == []  # not drained into it

    fixed = Flaky()
    fixed.calls.append(0)  # no outage
    again = _consumer(settings, names, "fixed")
    try:
        assert again.run(fixed, idle_exit=3.0).messages == len(ids)
    finally:
        again.close()
    assert sorted(fixed.written) == sorted(ids)
