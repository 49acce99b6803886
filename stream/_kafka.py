"""Kafka clients' shared configuration, topic set-up and the consumer group's lag."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from confluent_kafka import Consumer, KafkaException, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from stormops.core.errors import StormOpsError

log = logging.getLogger("stormops.stream")


class StreamUnavailable(StormOpsError):
    """The broker could not be reached, or did not take a message, in time."""


def client_config(bootstrap: str, **extra: Any) -> dict[str, Any]:
    """Settings every client shares: the servers, and librdkafka's logs into `logging`."""
    return {"bootstrap.servers": bootstrap, "logger": log, **extra}


def broker_reachable(bootstrap: str, timeout: float = 2.0) -> bool:
    """Whether a broker answers a metadata request."""
    admin = AdminClient(client_config(bootstrap))
    try:
        return bool(admin.list_topics(timeout=timeout).brokers)
    except KafkaException:
        return False


def ensure_topics(bootstrap: str, topics: Mapping[str, int], timeout: float = 30.0) -> list[str]:
    """Create the topics that are missing (name -> partitions, replication 1).

    Returns the names created; existing topics are left as they are.
    """
    admin = AdminClient(client_config(bootstrap))
    try:
        existing = set(admin.list_topics(timeout=timeout).topics)
    except KafkaException as exc:
        raise StreamUnavailable(f"Kafka at {bootstrap} did not answer: {exc}") from None
    missing = [NewTopic(name, partitions, 1) for name, partitions in topics.items()
               if name not in existing]
    if not missing:
        return []
    created = []
    for name, future in admin.create_topics(missing, operation_timeout=timeout).items():
        try:
            future.result()
            created.append(name)
        except KafkaException as exc:
            if "TOPIC_ALREADY_EXISTS" not in str(exc):
                raise StreamUnavailable(f"creating topic {name} failed: {exc}") from None
    return created


def partition_lag(bootstrap: str, topic: str, group: str,
                  timeout: float = 5.0) -> dict[int, dict[str, int]]:
    """Per partition of `topic`: the group's committed offset, the end offset and the lag.

    Asked of the broker directly (without joining the group), so it is right even while no
    consumer runs.
    """
    consumer = Consumer(client_config(bootstrap, **{"group.id": group,
                                                    "enable.auto.commit": False}))
    try:
        meta = consumer.list_topics(topic, timeout=timeout).topics.get(topic)
        if meta is None or meta.error is not None:
            return {}
        parts = [TopicPartition(topic, p) for p in sorted(meta.partitions)]
        committed = consumer.committed(parts, timeout=timeout)
        out = {}
        for tp in committed:
            low, high = consumer.get_watermark_offsets(tp, timeout=timeout)
            done = tp.offset if tp.offset >= 0 else low
            out[tp.partition] = {"committed": done, "end": high, "lag": max(high - done, 0)}
        return out
    except KafkaException as exc:
        raise StreamUnavailable(f"Kafka at {bootstrap} did not answer: {exc}") from None
    finally:
        consumer.close()
