"""Kafka clients' shared configuration and topic set-up."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from confluent_kafka import KafkaException
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

