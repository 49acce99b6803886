"""Applying cypher/schema.cypher: constraints and indexes, idempotent."""

from __future__ import annotations

from neo4j import AsyncDriver, Driver, Query

from stormops.cypher import cypher, statements

SCHEMA_VERSION = 9


def apply_schema(driver: Driver, database: str) -> int:
    """Create missing constraints and indexes and wait for them; returns statements run."""
    stmts = statements("schema")
    with driver.session(database=database) as session:
        for stmt in stmts:
            session.run(stmt, version=SCHEMA_VERSION).consume()
        session.run(cypher("admin/await_indexes")).consume()
    return len(stmts)


def schema_applied(driver: Driver, database: str) -> bool:
    """True when this version of the schema has been applied to the database."""
    records, _, _ = driver.execute_query(
        cypher("admin/schema_version"), database_=database, routing_="r"
    )
    return _current(records[0]["version"])


async def schema_applied_async(driver: AsyncDriver, database: str) -> bool:
    """`schema_applied` on the async driver, for the service's readiness check."""
    records, _, _ = await driver.execute_query(
        cypher("admin/schema_version"), database_=database, routing_="r"
    )
    return _current(records[0]["version"])


def _current(version: int | None) -> bool:
    return version is not None and version >= SCHEMA_VERSION


def delete_tenant(driver: Driver, database: str, tenant: str) -> None:
    """Remove every node one tenant wrote, and nothing of any other tenant."""
    with driver.session(database=database) as session:
        for stmt in statements("admin/delete_tenant"):  # no time limit: batched, but long
            session.run(Query(stmt, timeout=0), tenant=tenant, prefix=f"{tenant}|").consume()
