"""Profile data in the graph: the tenant's profile config, profiles and journeys recomputed
from their events, and the shapes they are read in; the definitions are in `graph.profiles`.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction, ManagedTransaction

from stormops.core.errors import InvalidInput, NotFound
from stormops.cypher import cypher
from stormops.graph._identifiers import check_tenant
from stormops.graph._store import query_rows
from stormops.graph._values import plain

DEFAULT_CHANNELS: tuple[str, ...] = (
    "door_knock", "sms", "email", "paid_search", "social", "direct_mail", "referral",
    "call_center",
)
MAX_PAGE = 1000


@dataclass(frozen=True)
class SegmentRule:
    """One segment: a profile belongs to it when every bound given holds.

    Bounds are inclusive; None means unbounded. `min_inactive_days` asks that the latest
    event be at least that many days before the evaluation time.
    """

    name: str
    min_ltv: float | None = None
    max_ltv: float | None = None
    min_conversions: int | None = None
    max_conversions: int | None = None
    min_storms: int | None = None
    max_storms: int | None = None
    min_inactive_days: int | None = None

    def matches(self, profile: Mapping[str, Any], now: datetime) -> bool:
        ltv, conv, storms = (profile["lifetime_value"], profile["total_conversions"],
                             profile["total_storms"])
        checks = (
            self.min_ltv is None or ltv >= self.min_ltv,
            self.max_ltv is None or ltv <= self.max_ltv,
            self.min_conversions is None or conv >= self.min_conversions,
            self.max_conversions is None or conv <= self.max_conversions,
            self.min_storms is None or storms >= self.min_storms,
            self.max_storms is None or storms <= self.max_storms,
            self.min_inactive_days is None or (
                profile.get("last_event_at") is not None
                and now - profile["last_event_at"] >= timedelta(days=self.min_inactive_days)),
        )
        return all(checks)


DEFAULT_SEGMENT_RULES: tuple[SegmentRule, ...] = (
    SegmentRule("high_value_repeat", min_conversions=2, min_ltv=25_000),
    SegmentRule("customer", min_conversions=1),
    SegmentRule("dormant", min_inactive_days=365),
    SegmentRule("storm_new", min_storms=1, max_storms=1, max_conversions=0),
    SegmentRule("returning_prospect", min_storms=2, max_conversions=0),
)

_RULE_FIELDS = {f.name: f for f in fields(SegmentRule)}
_INT_BOUNDS = {"min_conversions", "max_conversions", "min_storms", "max_storms",
               "min_inactive_days"}


def parse_segment_rules(raw: object) -> tuple[SegmentRule, ...]:
    """Validate a rule list (as stored or sent): [{name, bounds...}], names unique.

    Raises:
        InvalidInput: naming the rule and field at fault, e.g. `segment_rules.2.min_ltv`.
    """
    if not isinstance(raw, list) or not raw or len(raw) > 50:
        raise InvalidInput("segment_rules: expected a list of 1 to 50 rules",
                           field="segment_rules")
    rules, names = [], set()
    for pos, item in enumerate(raw):
        where = f"segment_rules.{pos}"
        if not isinstance(item, Mapping):
            raise InvalidInput(f"{where}: expected an object", field=where)
        unknown = sorted(set(item) - set(_RULE_FIELDS))
        if unknown:
            raise InvalidInput(f"{where}.{unknown[0]}: unknown field; expected "
                               f"{', '.join(_RULE_FIELDS)}", field=f"{where}.{unknown[0]}")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 64 or name in names:
            raise InvalidInput(f"{where}.name: expected a unique non-empty name",
                               field=f"{where}.name")
        names.add(name)
        bounds: dict[str, Any] = {}
        for key, value in item.items():
            if key == "name" or value is None:
                continue
            is_int = isinstance(value, int) and not isinstance(value, bool)
            is_num = is_int or (isinstance(value, float) and math.isfinite(value))
            if not is_num or not 0 <= value <= 1e15 or (key in _INT_BOUNDS and not is_int):
                kind = "a whole number" if key in _INT_BOUNDS else "a number"
                raise InvalidInput(f"{where}.{key}: expected {kind} from 0 to 1e15, got "
                                   f"{value!r}", field=f"{where}.{key}")
            bounds[key] = value
        rules.append(SegmentRule(name=name.strip(), **bounds))
    return tuple(rules)


def segment_of(profile: Mapping[str, Any], rules: Sequence[SegmentRule],
               now: datetime) -> str | None:
    """The first rule the profile matches, or None."""
    return next((rule.name for rule in rules if rule.matches(profile, now)), None)


def empty_profile(identity_id: str, rules: Sequence[SegmentRule], now: datetime) -> dict:
    """The profile of an identity with no events yet (nothing is stored for it)."""
    profile: dict[str, Any] = {
        "identity_id": identity_id, "total_storms": 0, "total_conversions": 0,
        "lifetime_value": 0.0, "avg_sii_score": None, "avg_uplift": None,
        "primary_channel": None, "storms": [], "total_touches": 0, "total_cost": 0.0,
        "first_seen": None, "last_event_at": None, "last_updated": None,
    }
    profile["segment"] = segment_of(profile, rules, now)
    return profile


@dataclass(frozen=True)
class ProfileConfig:
    """A tenant's event channels and segment rules."""

    channels: tuple[str, ...] = DEFAULT_CHANNELS
    segment_rules: tuple[SegmentRule, ...] = DEFAULT_SEGMENT_RULES

    def as_dict(self) -> dict[str, Any]:
        return {"channels": list(self.channels),
                "segment_rules": [{k: v for k, v in asdict(r).items() if v is not None}
                                  for r in self.segment_rules]}


def parse_channels(raw: object) -> tuple[str, ...]:
    """Validate a channel list: 1-50 distinct lower-case names ([a-z0-9_], up to 64 chars)."""
    ok = isinstance(raw, list) and 0 < len(raw) <= 50 and len(set(map(str, raw))) == len(raw)
    if ok:
        for pos, name in enumerate(raw):
            if (not isinstance(name, str) or not name or len(name) > 64
                    or not all(c.isascii() and (c.isalnum() or c == "_") for c in name)
                    or name != name.lower()):
                raise InvalidInput(f"channels.{pos}: expected a lower-case name of letters, "
                                   f"digits and _, got {name!r}", field=f"channels.{pos}")
        return tuple(raw)
    raise InvalidInput("channels: expected a list of 1 to 50 distinct names", field="channels")


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


def recompute_journeys(tx: ManagedTransaction, journey_ids: Iterable[str]) -> None:
    """Recompute journeys from their events (deleting those left empty), in id order."""
    ids = sorted(set(journey_ids))
    if ids:
        tx.run(cypher("journey/recompute_journeys"), journey_ids=ids).consume()


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


# -- targeting -------------------------------------------------------------------------------

@dataclass(frozen=True)
class TargetQuery:
    """A targeting request; `cursor` is the opaque `next_cursor` of the previous page."""

    min_ltv: float = 0.0
    segment: str | None = None
    storm_id: str | None = None
    limit: int = 50
    cursor: str | None = None

    def params(self, tenant: str) -> tuple[str, dict[str, Any]]:
        """(query name, parameters), validating the bounds and the cursor.

        Raises:
            InvalidInput: min_ltv not a number in 0..MAX_LTV, limit not in 1..MAX_PAGE, or a
                cursor that no page gave out.
        """
        ok = isinstance(self.min_ltv, int | float) and not isinstance(self.min_ltv, bool)
        if not ok or not 0 <= self.min_ltv <= MAX_LTV:
            raise InvalidInput(f"min_ltv: expected a number from 0 to {MAX_LTV:g}, got "
                               f"{self.min_ltv!r}", field="min_ltv")
        if not 1 <= self.limit <= MAX_PAGE:
            raise InvalidInput(f"limit: expected 1 to {MAX_PAGE}, got {self.limit}",
                               field="limit")
        params = {"tenant": tenant, "min_rank": f"{math.ceil(self.min_ltv * 100):015d}",
                  "after_rank": decode_cursor(self.cursor), "storm_id": self.storm_id,
                  "limit": self.limit}
        if self.segment is None:
            return "profile/target", params
        return "profile/target_segment", {**params, "segment": self.segment}


# The rank is the lifetime value in cents on 15 digits: values up to this many dollars order.
MAX_LTV = 9_999_999_999_999.0
_TOP = "~"  # sorts after every rank (digits)


def encode_cursor(rank: str) -> str:
    return base64.urlsafe_b64encode(rank.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str:
    """The rank after which the page starts; above every rank for None."""
    if cursor is None:
        return _TOP
    try:
        rank = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        rank = ""
    cents, sep, identity_id = rank.partition("|")
    if len(cents) != 15 or not cents.isdigit() or not sep or not identity_id:
        raise InvalidInput("cursor: expected the next_cursor of a previous page",
                           field="cursor")
    return rank


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
    name, params = query.params(tenant)
    return name, {**params, "limit": query.limit + 1}


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
