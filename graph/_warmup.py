"""Warming a service's connections and hot query plans before it says it is ready.

A fresh server process pays for its first query of each shape (parsing, planning, the JVM's
first runs of that code) and for each new connection; without warming, the first seconds of
traffic see latencies of a second or more. Only the queries of the request hot path are
planned, within a time budget: readiness is never held back for long.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

from neo4j import AsyncDriver, Driver

from stormops.cypher import statements

# The queries every request of the API runs, in order of how hot they are.
HOT = ("keys/get_key", "identity/resolve_key", "identity/resolve_many", "identity/resolve_id",
       "identity/get_profile", "identity/history", "matching/claim_records",
       "matching/candidates", "identity/lock_identities", "identity/read_owners",
       "identity/lock_identifiers", "identity/lock_properties", "identity/create_identities",
       "identity/link_identifiers", "matching/link_records", "identity/tie_properties",
       "review/queue", "review/count", "review/items", "review/sides",
       "review/pair_records", "review/merge_log")


def warm_up(driver: Driver, database: str, budget: float = 15.0, connections: int = 4) -> int:
    """Open `connections` pooled connections and have the server plan the hot queries
    (EXPLAIN: nothing runs), stopping after `budget` seconds; returns the queries planned."""
    deadline = time.monotonic() + budget

    def explain(names: tuple[str, ...]) -> int:
        done = 0
        with driver.session(database=database) as session:
            for name in names:
                if time.monotonic() > deadline:
                    break
                session.run(f"EXPLAIN {statements(name)[0]}").consume()
                done += 1
        return done

    with ThreadPoolExecutor(connections) as pool:
        return sum(pool.map(explain, [HOT[i::connections] for i in range(connections)]))


async def warm_up_async(driver: AsyncDriver, database: str, connections: int = 16) -> None:
    """Open `connections` pooled connections on the async driver."""
    async def ping() -> None:
        async with driver.session(database=database) as session:
            await (await session.run("RETURN 1")).consume()

    await asyncio.gather(*(ping() for _ in range(connections)))
