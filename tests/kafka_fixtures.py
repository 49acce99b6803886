"""A real Kafka broker for tests: reachable, or a failure in CI (a skip locally), and topics
and a consumer group of one's own, handed to subprocesses through the environment."""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass

import pytest
from confluent_kafka import Consumer

from stormops.core.settings import Settings
from stormops.stream import broker_reachable, ensure_topics


@dataclass(frozen=True)
class StreamNames:
    """Topics and group of one test module; `env` passes them to a `stormops` process."""

    topic: str
    dead_letter: str
    group: str

    @property
    def env(self) -> dict[str, str]:
        return {"STORMOPS_EVENTS_TOPIC": self.topic,
                "STORMOPS_DEAD_LETTER_TOPIC": self.dead_letter,
                "STORMOPS_LIVE_GROUP": self.group}

    def settings(self) -> Settings:
        return Settings(events_topic=self.topic, dead_letter_topic=self.dead_letter,
                        live_group=self.group)


def require_broker(settings: Settings) -> None:
    if not broker_reachable(settings.kafka_bootstrap, timeout=10):
        message = (f"Kafka not reachable at {settings.kafka_bootstrap}; "
                   "start it with `stormops kafka start`")
        if os.environ.get("STORMOPS_REQUIRE_NEO4J") == "1":
            pytest.fail(message)
        pytest.skip(message)


def fresh_streams(settings: Settings, partitions: int = 4) -> StreamNames:
    suffix = uuid.uuid4().hex[:8]
    names = StreamNames(f"test.events.{suffix}", f"test.events.dead.{suffix}",
                        f"test-live-{suffix}")
    ensure_topics(settings.kafka_bootstrap, {names.topic: partitions, names.dead_letter: 1})
    return names


def read_topic(settings: Settings, topic: str, expected: int, timeout: float = 60) -> list:
    """The first `expected` messages of a topic (from the beginning), or fewer at timeout."""
    consumer = Consumer({"bootstrap.servers": settings.kafka_bootstrap,
                         "group.id": f"reader-{uuid.uuid4().hex[:8]}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([topic])
    messages = []
    try:
        deadline = time.monotonic() + timeout
        while len(messages) < expected and time.monotonic() < deadline:
            messages += [m for m in consumer.consume(100, 1.0) if m.error() is None]
    finally:
        consumer.close()
    return messages
