"""Publishing events to the events topic (the HTTP service and `stormops live replay`)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from confluent_kafka import KafkaError, KafkaException, Message, Producer

from stormops.stream._kafka import StreamUnavailable, client_config

# Identifiers tried in turn for the message key: one person's events then share a partition.
_KEY_FIELDS = ("email", "phone", "device_id", "national_id", "property_id")


def event_key(tenant: str, event: Mapping[str, Any]) -> str:
    """tenant|storm_id|the event's first person identifier (or its identity id, or event id)."""
    identifiers = event.get("identifiers")
    who = None
    if isinstance(identifiers, Mapping):
        who = next((identifiers[k] for k in _KEY_FIELDS if identifiers.get(k)), None)
    who = who or event.get("identity_id") or event.get("event_id")
    return f"{tenant}|{event.get('storm_id')}|{who}"


class EventPublisher:
    """A producer of events onto one topic; idempotent, acknowledged by the broker.

    Args:
        bootstrap: the Kafka bootstrap servers.
        topic: the events topic.
        linger_ms: how long the producer waits to fill a batch (0 for the lowest latency).

    Example:
        >>> with EventPublisher("127.0.0.1:9092", "stormops.events") as publisher:
        ...     publisher.publish("acme", [{"event_id": "e1", "storm_id": "S1", ...}])
        1
    """

    def __init__(self, bootstrap: str, topic: str, linger_ms: int = 0) -> None:
        self.topic = topic
        self._errors: list[str] = []
        self._producer = Producer(client_config(
            bootstrap, **{"enable.idempotence": True, "linger.ms": linger_ms,
                          "message.timeout.ms": 30_000, "compression.type": "lz4"}))

    def _delivered(self, error: KafkaError | None, message: Message) -> None:
        if error is not None:
            self._errors.append(f"{message.key()!r}: {error.str()}")

    def send(self, tenant: str, event: Mapping[str, Any]) -> None:
        """Queue one event (JSON-ready: times as ISO text); `flush` waits for delivery."""
        self.send_raw(tenant, json.dumps(event, separators=(",", ":")).encode(),
                      event_key(tenant, event))

    def send_raw(self, tenant: str, value: bytes, key: str) -> None:
        """Queue a message as given (for a message that is not an event, e.g. in a test)."""
        while True:
            try:
                self._producer.produce(self.topic, value, key.encode(),
                                       headers=[("tenant", tenant.encode())],
                                       on_delivery=self._delivered)
                break
            except BufferError:  # the local queue is full: let deliveries drain it
                self._producer.poll(0.05)
            except KafkaException as exc:
                raise StreamUnavailable(f"publishing to {self.topic} failed: {exc}") from None
        self._producer.poll(0)

    def flush(self, timeout: float = 30.0) -> None:
        """Wait until every queued event is acknowledged.

        Raises:
            StreamUnavailable: an event was refused, or not acknowledged within `timeout`.
        """
        left = self._producer.flush(timeout)
        errors, self._errors = self._errors, []
        if left or errors:
            raise StreamUnavailable(
                f"{left} events not acknowledged by Kafka within {timeout:g}s" if left else
                f"Kafka refused {len(errors)} events: {errors[0]}")

    def publish(self, tenant: str, events: Sequence[Mapping[str, Any]],
                timeout: float = 30.0) -> int:
        """Send events and wait until the broker has them all; returns how many."""
        for event in events:
            self.send(tenant, event)
        self.flush(timeout)
        return len(events)

    def close(self) -> None:
        self._producer.flush(5)

    def __enter__(self) -> EventPublisher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
