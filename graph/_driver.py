"""One driver per process, built from settings; sessions are opened per unit of work."""

from __future__ import annotations

from typing import Any

from neo4j import AsyncDriver, AsyncGraphDatabase, Driver, GraphDatabase
from neo4j.exceptions import (
    AuthError,
    DatabaseError,
    DriverError,
    Forbidden,
    Neo4jError,
    TransientError,
)

from stormops.core.settings import Settings


def _options(settings: Settings) -> dict[str, Any]:
    return {"auth": (settings.neo4j_user, settings.neo4j_password.get_secret_value()),
            "max_connection_pool_size": 64, "notifications_min_severity": "OFF"}


def open_driver(settings: Settings) -> Driver:
    """A driver for the configured server; the caller closes it (it is a context manager)."""
    return GraphDatabase.driver(settings.neo4j_uri, **_options(settings))


def open_async_driver(settings: Settings) -> AsyncDriver:
    """The async twin of `open_driver`, for the HTTP service."""
    return AsyncGraphDatabase.driver(settings.neo4j_uri, **_options(settings))


def transient_failure(exc: BaseException) -> bool:
    """Whether a failure is the graph being away or busy, not the data: the server unreachable
    or restarting, a deadlock or timeout, credentials refused (an operator's fix). A Cypher
    client error (a constraint, a type) is about what was written, so it is not."""
    if isinstance(exc, (DriverError, TransientError, DatabaseError, AuthError, Forbidden)):
        return True
    return isinstance(exc, Neo4jError) and exc.is_retryable()
