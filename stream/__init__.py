"""The event stream on Kafka: topics, a publisher of events, and a batch consumer.

Only this package talks to Kafka. A message on the events topic is one event as JSON (the
shape `POST /v1/events` takes), its tenant in the `tenant` header, keyed by tenant, storm and
the person's first identifier so one person's events share a partition. A message the
consumer cannot take goes to the dead-letter topic: the same key, value and headers, plus an
`error` header with the reason and a `source` header (topic/partition/offset).
"""

from stormops.stream._kafka import (
    StreamUnavailable,
    broker_reachable,
    ensure_topics,
)
from stormops.stream.consumer import (
    BatchConsumer,
    BatchStats,
    Envelope,
    HandlerBroken,
    Progress,
    stream_transient,
)
from stormops.stream.producer import EventPublisher, event_key

__all__ = [
    "BatchConsumer", "BatchStats", "Envelope", "EventPublisher", "HandlerBroken", "Progress",
    "StreamUnavailable", "broker_reachable", "ensure_topics", "event_key", "stream_transient",
]
