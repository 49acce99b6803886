"""The base every graph-backed service shares: one driver, one database, managed transactions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from neo4j import Driver, ManagedTransaction, unit_of_work

from stormops.cypher import cypher


def query_rows(tx: ManagedTransaction, name: str, **params: Any) -> list[dict]:
    """Every record of the named query (cypher/<name>.cypher), as dicts."""
    return [record.data() for record in tx.run(cypher(name), **params)]


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

    def _rows(self, name: str, params: dict[str, Any], timeout: float = 60,
              write: bool = False) -> list[dict]:
        """The records of one named query in a transaction of its own, bounded by `timeout`
        seconds (a read unless `write`)."""
        @unit_of_work(timeout=timeout)
        def work(tx: ManagedTransaction) -> list[dict]:
            return query_rows(tx, name, **params)

        return (self._write if write else self._read)(work)
