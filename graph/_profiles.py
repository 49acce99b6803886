"""Profile data in the graph: the tenant's profile config, profiles and journeys recomputed
from their events, and the shapes they are read in; the definitions are in `graph.profiles`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction, ManagedTransaction

from stormops.core.errors import NotFound
from stormops.core.segments import (
    DEFAULT_CHANNELS,
    DEFAULT_SEGMENT_RULES,
    ProfileConfig,
    empty_profile,
    parse_segment_rules,
)
from stormops.core.targeting import TargetQuery, encode_cursor
from stormops.cypher import cypher
from stormops.graph._identifiers import check_tenant
from stormops.graph._store import query_rows
from stormops.graph._values import plain


def _config_from_row(row: Mapping[str, Any] | None) -> ProfileConfig:
    if row is None:
        return ProfileConfig()
    channels = tuple(row["channels"]) if row.get("channels") else DEFAULT_CHANNELS
    rules = (parse_segment_rules(json.loads(row["segment_rules"]))
             if row.get("segment_rules") else DEFAULT_SEGMENT_RULES)
    return ProfileConfig(channels, rules)


def read_config(tx: ManagedTransaction, tenant: str) -> ProfileConfig:
    """The tenant's config, or the defaults."""
    return _config_from_row(tx.run(cypher("profile/get_config"), tenant=tenant).single())


def recompute_journeys(tx: ManagedTransaction, journey_ids: Iterable[str],
                       states: bool = False) -> dict[str, dict[str, Any]]:
    """Recompute journeys from their events (deleting those left empty), in id order.

    With `states`, returns each kept journey as `live/journey_states` reads it (journey id ->
    row), from the events this pass read anyway, so live attribution need not read them again.
    """
    ids = sorted(set(journey_ids))
    if not ids:
        return {}
    result = tx.run(cypher("journey/recompute_journeys"), journey_ids=ids, states=states)
    if not states:
        result.consume()
        return {}
    return {row["journey_id"]: {"journey_id": row["journey_id"], **row["state"]}
            for row in result if row["state"] is not None}


def recompute_profiles(
    tx: ManagedTransaction, tenant: str, identity_ids: Iterable[str],
    config: ProfileConfig | None = None, now: datetime | None = None, returning: bool = True,
) -> dict[str, dict[str, Any] | None]:
    """Recompute and store the profiles of identities from their journeys, in this transaction.

    The arithmetic runs in `profile/recompute_profiles`, next to the data (see the module
    docstring for the fields). Identities left without journeys (merged away, or never given
    an event) lose their stored profile.

    Returns:
        Each identity's new profile (None for those without one); with `returning=False`
        (bulk loads) an empty dict.
    """
    ids = sorted(set(identity_ids))
    if not ids:
        return {}
    config = config or read_config(tx, tenant)
    rules = [asdict(rule) for rule in config.segment_rules]
    rows = query_rows(tx, "profile/recompute_profiles", tenant=tenant, identity_ids=ids,
                      rules=rules, now=now or datetime.now(UTC), returning=returning)
    if not returning:
        return {}
    found = {row["identity_id"]: _public(row["profile"]) for row in rows}
    return {identity_id: found.get(identity_id) for identity_id in ids}


_FIELDS = ("identity_id", "total_storms", "total_conversions", "lifetime_value", "avg_sii_score",
           "avg_uplift", "primary_channel", "segment", "last_updated", "storms", "total_touches",
           "total_cost", "first_seen", "last_event_at")
_TIMES = ("last_updated", "first_seen", "last_event_at")


def _when(value: Any) -> Any:
    """ISO text from a query (Cypher toString of a datetime) as a datetime."""
    return datetime.fromisoformat(value) if isinstance(value, str) else plain(value)


def _public(stored: Mapping[str, Any]) -> dict[str, Any]:
    """A stored profile with every field present (a null one is not stored), in order, and
    its timestamps as datetimes."""
    return {name: _when(stored.get(name)) if name in _TIMES else stored.get(name)
            for name in _FIELDS}


def shape_journeys(row: Mapping[str, Any]) -> dict[str, Any]:
    """The journey/identity_journeys row with its timestamps (ISO text) as datetimes."""
    journeys = []
    for journey in row["journeys"]:
        storm_date = journey.get("storm_date")
        journeys.append({
            **journey,
            **{k: _when(journey.get(k)) for k in ("started_at", "last_at", "converted_at")},
            "storm_date": date.fromisoformat(storm_date) if storm_date else None,
            "touch_ts": [_when(ts) for ts in journey["touch_ts"]],
            "events": [{**e, "ts": _when(e["ts"])} for e in journey["events"]],
        })
    return {"identity_id": row["identity_id"], "journeys": journeys}


def shape_page(rows: list[dict], limit: int) -> dict[str, Any]:
    """{items, next_cursor} from up to limit + 1 rows."""
    items = [_public(row["profile"]) for row in rows[:limit]]
    more = len(rows) > limit
    return {"items": items,
            "next_cursor": encode_cursor(rows[limit - 1]["profile"]["ltv_rank"]) if more
            else None}


def target_query(query: TargetQuery, tenant: str) -> tuple[str, dict[str, Any]]:
    """(query name, parameters) of a targeting page, asking one row more to see a next page."""
    check_tenant(tenant)
    min_rank, after_rank = query.ranks()
    params = {"tenant": tenant, "min_rank": min_rank, "after_rank": after_rank,
              "storm_id": query.storm_id, "limit": query.limit + 1}
    if query.segment is None:
        return "profile/target", params
    return "profile/target_segment", {**params, "segment": query.segment}


def shape_profile(identity_id: str, row: dict | None, config: ProfileConfig) -> dict[str, Any]:
    """The profile document from the profile/get_profile row; NotFound when there was none."""
    if row is None:
        raise NotFound(f"identity {identity_id} not found", field="identity_id")
    if row["profile"] is None:
        profile = empty_profile(row["identity_id"], config.segment_rules, datetime.now(UTC))
    else:
        profile = row["profile"]
    return {**_public(profile), "status": row["status"]}


def read_profile(tx: ManagedTransaction, tenant: str,
                  identity_id: str) -> tuple[dict | None, ProfileConfig]:
    record = tx.run(cypher("profile/get_profile"), tenant=tenant,
                    identity_id=identity_id).single()
    return (None if record is None else record.data()), read_config(tx, tenant)


def all_profiles(tx: ManagedTransaction, tenant: str) -> tuple[list[dict], ProfileConfig]:
    """Every stored profile of the tenant (for re-segmenting), with the tenant's config."""
    rows = [{**r["profile"], "last_event_at": _when(r["profile"]["last_event_at"])}
            for r in query_rows(tx, "profile/all_profiles", tenant=tenant)]
    return rows, read_config(tx, tenant)


def set_segments(tx: ManagedTransaction, tenant: str, rows: list[dict], now: datetime) -> None:
    """Store new segments: rows of {identity_id, segment}."""
    tx.run(cypher("profile/set_segments"), tenant=tenant, rows=rows, now=now).consume()


def store_config(tx: ManagedTransaction, tenant: str, channels: list[str],
                  rules_json: str) -> None:
    """Store the tenant's channels and segment rules (validated by the caller)."""
    tx.run(cypher("profile/set_config"), tenant=tenant, channels=channels,
           segment_rules=rules_json, now=datetime.now(UTC)).consume()


class AsyncProfileReader:
    """Profile, journey and targeting reads for the HTTP service, on the async driver."""

    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self.driver = driver
        self.database = database

    async def _read(self, name: str, **params: Any) -> list[dict]:
        async def work(tx: AsyncManagedTransaction) -> list[dict]:
            result = await tx.run(cypher(name), **params)
            return [record.data() async for record in result]

        async with self.driver.session(database=self.database) as session:
            return await session.execute_read(work)

    async def _config(self, tenant: str) -> ProfileConfig:
        rows = await self._read("profile/get_config", tenant=tenant)
        return _config_from_row(rows[0] if rows else None)

    async def get_profile(self, tenant: str, identity_id: str) -> dict[str, Any]:
        """As `BehavioralProfileService.get_profile`."""
        check_tenant(tenant)
        rows = await self._read("profile/get_profile", tenant=tenant, identity_id=identity_id)
        config = ProfileConfig() if rows and rows[0]["profile"] else await self._config(tenant)
        return shape_profile(identity_id, rows[0] if rows else None, config)

    async def journeys(self, tenant: str, identity_id: str) -> dict[str, Any]:
        """The identity's journeys with their events in order (a merged id: its survivor's).

        Raises:
            NotFound: no such identity in this tenant.
        """
        check_tenant(tenant)
        rows = await self._read("journey/identity_journeys", tenant=tenant,
                                identity_id=identity_id)
        if not rows:
            raise NotFound(f"identity {identity_id} not found", field="identity_id")
        return shape_journeys(rows[0])

    async def target(self, tenant: str, query: TargetQuery) -> dict[str, Any]:
        """As `BehavioralProfileService.target`."""
        name, params = target_query(query, tenant)
        return shape_page(await self._read(name, **params), query.limit)
