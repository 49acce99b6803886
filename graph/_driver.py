"""One driver per process, built from settings; sessions are opened per unit of work."""

from __future__ import annotations

from neo4j import Driver, GraphDatabase

from core.settings import Settings


def open_driver(settings: Settings) -> Driver:
    """A driver for the configured server; the caller closes it (it is a context manager)."""
    auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value())
    return GraphDatabase.driver(settings.neo4j_uri, auth=auth, max_connection_pool_size=64,
                                notifications_min_severity="OFF")
