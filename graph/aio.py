"""Reads for the HTTP service on the async driver: resolve, profiles, history, review queue,
merge log.

Lookups are planned by the same code as the sync `IdentityGraph`, so both answer alike.
Writes go through `IdentityGraph`, which keeps each multi-step change in one transaction.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from neo4j import READ_ACCESS, AsyncDriver, AsyncManagedTransaction

from stormops.core.errors import InvalidInput, NotFound
from stormops.cypher import cypher
from stormops.graph._identifiers import check_tenant
from stormops.graph._resolve import (
    BatchLookup,
    Lookup,
    batch_answers,
    batch_lookup,
    resolve_lookups,
)
from stormops.graph._values import plain
from stormops.graph.identities import shape_profile
from stormops.graph.review import (
    LogFilter,
    QueueFilter,
    pair_keys,
    shape_event,
    shape_item,
    side_ids,
)

QueryObserver = Callable[[str, float], None]


class AsyncIdentityReader:
    """Tenant-scoped reads over one database.

    Args:
        driver: an open `neo4j.AsyncDriver`; the caller closes it.
        database: the Neo4j database name.
        phone_region: region for phone numbers written without a country code.
        observe: called with (query name, seconds) after each query, e.g. for metrics.
    """

    def __init__(self, driver: AsyncDriver, database: str, phone_region: str = "US",
                 observe: QueryObserver | None = None) -> None:
        self.driver = driver
        self.database = database
        self.phone_region = phone_region
        self._observe = observe or (lambda name, seconds: None)

    async def _run(self, tx: AsyncManagedTransaction, name: str, **params: Any) -> list[dict]:
        start = time.perf_counter()
        result = await tx.run(cypher(name), **params)
        rows = [record.data() async for record in result]
        self._observe(name, time.perf_counter() - start)
        return rows

    async def _lookup(self, name: str, **params: Any) -> list[dict]:
        """One read-only statement in an auto-commit transaction.

        The hot lookups are single indexed reads: a managed transaction would add a BEGIN and
        a COMMIT round trip and roughly halve throughput, and a read has nothing to roll back.
        """
        start = time.perf_counter()
        async with self.driver.session(database=self.database,
                                       default_access_mode=READ_ACCESS) as session:
            result = await session.run(cypher(name), **params)
            rows = [record.data() async for record in result]
        self._observe(name, time.perf_counter() - start)
        return rows

    async def _read(self, work: Callable) -> Any:
        async with self.driver.session(database=self.database) as session:
            return await session.execute_read(work)

    async def resolve_identity(self, tenant: str, identifier: str,
                               type: str | None = None) -> str | None:
        """As `IdentityGraph.resolve_identity`."""
        check_tenant(tenant)
        lookups: list[Lookup] = resolve_lookups(tenant, identifier, type, self.phone_region)
        if len(lookups) == 1:
            rows = await self._lookup(lookups[0].query, **lookups[0].params)
            return rows[0]["identity_id"] if rows else None

        async def work(tx: AsyncManagedTransaction) -> str | None:
            for lookup in lookups:
                rows = await self._run(tx, lookup.query, **lookup.params)
                if rows and rows[0]["identity_id"] is not None:
                    return rows[0]["identity_id"]
            return None

        return await self._read(work)

    async def resolve_many(
        self, tenant: str, items: list[tuple[str, object]]
    ) -> tuple[list[str | None], dict[int, InvalidInput]]:
        """Typed lookups in one query; returns answers by position and refused items."""
        check_tenant(tenant)
        plan: BatchLookup = batch_lookup(tenant, items, self.phone_region)

        rows = await self._lookup(
            "identity/resolve_many", tenant=tenant, keys=plan.keys,
            property_keys=plan.property_keys, identity_ids=plan.identity_ids,
        ) if len(plan.errors) < len(items) else []
        found = {(kind, lookup): identity_id
                 for kind, lookup, identity_id in (rows[0]["found"] if rows else [])}
        return batch_answers(plan, found), plan.errors

    async def get_profile(self, tenant: str, identity_id: str) -> dict:
        """As `IdentityGraph.get_profile`, in one read transaction."""
        check_tenant(tenant)

        async def work(tx: AsyncManagedTransaction) -> tuple[list[dict], list[dict]]:
            params = {"tenant": tenant, "identity_id": identity_id}
            return (await self._run(tx, "identity/get_profile", **params),
                    await self._run(tx, "identity/history", **params))

        rows, history = await self._read(work)
        return shape_profile(identity_id, rows[0] if rows else None,
                             [row["event"] for row in history])

    async def neighbourhood(self, tenant: str, identity_id: str, limit: int = 200) -> dict:
        """The identity, its identifiers (strength, method), its properties with who else is
        tied there, and the identities merged into it; at most `limit` of each.

        Raises:
            NotFound: no such identity in this tenant.
        """
        check_tenant(tenant)

        async def work(tx: AsyncManagedTransaction) -> list[dict]:
            return await self._run(tx, "identity/neighbourhood", tenant=tenant,
                                   identity_id=identity_id, limit=limit)

        rows = await self._read(work)
        if not rows:
            raise NotFound(f"identity {identity_id} not found", field="identity_id")
        return plain(rows[0])

    async def history(self, tenant: str, identity_id: str) -> list[dict]:
        """As `IdentityGraph.history`."""
        check_tenant(tenant)

        async def work(tx: AsyncManagedTransaction) -> list[dict]:
            return await self._run(tx, "identity/history", tenant=tenant, identity_id=identity_id)

        return [shape_event(row["event"]) for row in await self._read(work)]

    async def identity_exists(self, tenant: str, identity_id: str) -> bool:
        """Whether the id names an identity (active or merged) of this tenant."""
        return await self.resolve_identity(tenant, identity_id, "identity_id") is not None

    async def review_queue(self, tenant: str, where: QueueFilter, offset: int, limit: int
                           ) -> tuple[list[dict], int]:
        """A page of review items, oldest first, with both sides; and how many match. The
        count walks every matching item, so it runs beside the page's reads, not after."""
        check_tenant(tenant)
        page, count = where.queries()

        async def items(tx: AsyncManagedTransaction) -> list[dict]:
            rows = await self._run(tx, page, tenant=tenant, **where.params(), offset=offset,
                                   limit=limit)
            return await self._items(tx, tenant, [row["item_id"] for row in rows])

        async def total(tx: AsyncManagedTransaction) -> int:
            return (await self._run(tx, count, tenant=tenant, **where.params()))[0]["total"]

        found, counted = await asyncio.gather(self._read(items), self._read(total))
        return found, counted

    async def _items(self, tx: AsyncManagedTransaction, tenant: str, item_ids: list[str]
                     ) -> list[dict]:
        """The items, in order, with their sides' summaries (one query each)."""
        items = [row["item"] for row in
                 await self._run(tx, "review/items", tenant=tenant, item_ids=item_ids)]
        rows = await self._run(tx, "review/sides", tenant=tenant, identity_ids=side_ids(items))
        sides = {row["side"]["identity_id"]: plain(row["side"]) for row in rows}
        return [shape_item(item, sides) for item in items]

    async def review_item(self, tenant: str, item_id: str) -> tuple[dict, list[dict]]:
        """One review item with both sides, and the stored columns of its pair's records.

        Raises:
            NotFound: no such item in this tenant.
        """
        check_tenant(tenant)

        async def work(tx: AsyncManagedTransaction) -> tuple[dict, list[dict]] | None:
            found = await self._items(tx, tenant, [item_id])
            if not found:
                return None
            records = await self._run(tx, "review/pair_records", tenant=tenant,
                                      keys=pair_keys(tenant, found[0]["record_ids"]))
            return found[0], [row["record"] for row in records]

        answer = await self._read(work)
        if answer is None:
            raise NotFound(f"review item {item_id} not found", field="item_id")
        return answer

    async def merge_log(self, tenant: str, where: LogFilter, offset: int, limit: int
                        ) -> list[dict]:
        """The tenant's merges and unmerges, newest first."""
        check_tenant(tenant)

        async def work(tx: AsyncManagedTransaction) -> list[dict]:
            return await self._run(tx, "review/merge_log", tenant=tenant, **where.params(),
                                   offset=offset, limit=limit)

        return [shape_event(row["event"]) for row in await self._read(work)]
