"""Warming a service's connections and query plans before it says it is ready.

A fresh server process pays for its first query of each shape (parsing, planning, the JVM's
first runs of that code) and for each new connection; without warming, the first seconds of
traffic see latencies of a second or more.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from neo4j import AsyncDriver, Driver

from stormops.cypher import names, statements

# Queries for analysts, and administration run by hand: nothing serves them hot.
_COLD = ("browser/", "admin/")


def warm_up(driver: Driver, database: str, connections: int = 8) -> int:
    """Open `connections` pooled connections and have the server plan every application
    query (EXPLAIN: nothing runs); returns the statements planned."""
    planned = [stmt for name in names() if not name.startswith(_COLD)
               for stmt in statements(name)]

    def explain(chunk: list[str]) -> None:
        with driver.session(database=database) as session:
            for stmt in chunk:
                session.run(f"EXPLAIN {stmt}").consume()

    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(explain, [planned[i::connections] for i in range(connections)]))
    return len(planned)


async def warm_up_async(driver: AsyncDriver, database: str, connections: int = 16) -> None:
    """Open `connections` pooled connections on the async driver."""
    async def ping() -> None:
        async with driver.session(database=database) as session:
            await (await session.run("RETURN 1")).consume()

    await asyncio.gather(*(ping() for _ in range(connections)))
