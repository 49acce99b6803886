"""The base every graph-backed service shares: one driver, one database, managed transactions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from neo4j import Driver


class GraphStore:
    """Holds the driver and database; runs transaction functions with retries.

    Args:
        driver: an open driver (`graph.open_driver`); the caller closes it.
        database: the Neo4j database name.
        phone_region: region for phone numbers written without a country code.
    """

    def __init__(self, driver: Driver, database: str, phone_region: str = "US") -> None:
        self.driver = driver
        self.database = database
        self.phone_region = phone_region

    def _write(self, fn: Callable, *args: Any) -> Any:
        with self.driver.session(database=self.database) as session:
            return session.execute_write(fn, *args)

    def _read(self, fn: Callable, *args: Any) -> Any:
        with self.driver.session(database=self.database) as session:
            return session.execute_read(fn, *args)
