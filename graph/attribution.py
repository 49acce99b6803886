"""Attribution in the graph: configs per tenant, a storm's journeys as arrays, and results.

Graph model:

    (:AttributionConfig {tenant_id, config (JSON), updated_at})           one per tenant
    (:AttributionResult {key: tenant|journey_id|method, tenant_id, storm_id, journey_id, method,
        credits (JSON channel -> credit), touch_credits [per touch], value, run_id,
        calculated_at})-[:CREDITS]->(:Journey)
    (:AttributionRun {key: tenant|storm_id|method, tenant_id, storm_id, method, channels (JSON
        channel -> credit), journeys, attributed, converted, total_value, skipped, details
        (JSON), config (JSON), run_id, calculated_at})-[:FOR_STORM]->(:Storm)

Results are keyed by tenant, journey and method, so re-running a method overwrites in place;
results the new run did not write (journeys gone, or outside a new lookback window) are
deleted at the end of the run. Browser users see credit on the graph by following
`(:Journey)<-[:CREDITS]-(:AttributionResult)`.

A storm is read with one streaming query (`attribution/read_storm_journeys`) straight into
flat numpy arrays (CSR layout); nothing is fetched per journey.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from typing import Any

import numpy as np
from neo4j import ManagedTransaction, unit_of_work

from stormops.cypher import cypher
from stormops.graph._identifiers import check_tenant
from stormops.graph._store import GraphStore
from stormops.graph._values import plain

__all__ = ["AttributionStore", "JourneyRow", "StormArrays", "storm_arrays"]

WRITE_BATCH = 10_000


@dataclass(frozen=True, eq=False)
class StormArrays:
    """A storm's journeys as flat arrays (CSR), as read from the graph.

    Attributes:
        journey_ids: per journey, its id (list, length n_journeys).
        channel_names: the channel names, indexed by `channel` codes (first-seen order).
        channel: int32, shape (n_touches,): code of each touch's channel.
        ts: float64, shape (n_touches,): touch time, epoch seconds.
        offsets: int64, shape (n_journeys + 1,): journey j owns touches offsets[j]:offsets[j+1]
            (a journey with only a conversion event has none).
        converted: bool, shape (n_journeys,).
        conversion_ts: float64, shape (n_journeys,): first conversion time, epoch seconds;
            NaN when not converted.
        revenue: float64, shape (n_journeys,): revenue of the journey's conversions.
    """

    journey_ids: list[str]
    channel_names: list[str]
    channel: np.ndarray
    ts: np.ndarray
    offsets: np.ndarray
    converted: np.ndarray
    conversion_ts: np.ndarray
    revenue: np.ndarray

    @property
    def n_journeys(self) -> int:
        return len(self.journey_ids)

    @property
    def n_touches(self) -> int:
        return int(self.channel.size)


@dataclass(frozen=True)
class JourneyRow:
    """One journey's result of a method, ready to write."""

    journey_id: str
    credits: Mapping[str, float]
    touch_credits: Sequence[float]
    value: float


def storm_arrays(rows: Iterable[Sequence[Any]]) -> StormArrays:
    """Journey rows (journey_id, channels, touch_ms, converted, converted_ms, revenue: the
    columns of attribution/read_storm_journeys) as flat arrays, in one pass."""
    journey_ids: list[str] = []
    lengths: list[int] = []
    channel_lists: list[list[str]] = []
    ts_lists: list[list[int]] = []
    converted: list[bool] = []
    converted_ms: list[float] = []
    revenue: list[float] = []
    for journey_id, channels, touch_ms, conv, conv_ms, rev in rows:
        channels = channels or []
        journey_ids.append(journey_id)
        lengths.append(len(channels))
        channel_lists.append(channels)
        ts_lists.append(touch_ms)
        converted.append(bool(conv))
        converted_ms.append(np.nan if conv_ms is None else conv_ms)
        revenue.append(float(rev))
    codes: dict[str, int] = {}
    flat = [codes.setdefault(name, len(codes)) for name in chain.from_iterable(channel_lists)]
    n_touches = len(flat)
    return StormArrays(
        journey_ids=journey_ids,
        channel_names=list(codes),
        channel=np.array(flat, dtype=np.int32),
        ts=np.fromiter(chain.from_iterable(ts_lists), dtype=np.float64, count=n_touches) / 1e3,
        offsets=np.concatenate(([0], np.cumsum(lengths, dtype=np.int64))),
        converted=np.array(converted, dtype=bool),
        conversion_ts=np.array(converted_ms, dtype=np.float64) / 1e3,
        revenue=np.array(revenue, dtype=np.float64),
    )


@unit_of_work(timeout=600)
def _read_storm(tx: ManagedTransaction, tenant: str, storm_id: str) -> StormArrays:
    """Stream the storm's rows into flat arrays (one pass, no per-journey reads)."""
    return storm_arrays(tx.run(cypher("attribution/read_storm_journeys"), tenant=tenant,
                               storm_id=storm_id))


def _write_batch(tx: ManagedTransaction, params: dict[str, Any]) -> int:
    return tx.run(cypher("attribution/write_results"), **params).single(strict=True)["written"]


def _finish_run(tx: ManagedTransaction, params: dict[str, Any], run: dict[str, Any]) -> int:
    deleted = tx.run(cypher("attribution/delete_stale_results"), tenant=params["tenant"],
                     storm_id=params["storm_id"], method=params["method"],
                     run_id=params["run_id"]).single(strict=True)["deleted"]
    tx.run(cypher("attribution/write_run"), run=run, **params).consume()
    return deleted


def _chunks(rows: Sequence[JourneyRow], size: int) -> Iterator[Sequence[JourneyRow]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


class AttributionStore(GraphStore):
    """Tenant-scoped attribution data over one Neo4j database.

    Args:
        driver: an open driver; the caller closes it.
        database: the Neo4j database name.

    Example:
        >>> store = AttributionStore(driver, "neo4j")
        >>> arrays = store.read_storm("acme", "S2024-HAIL-DFW")
        >>> arrays.n_journeys, arrays.channel_names
        (1200, ['door_knock', 'sms', ...])
    """

    def get_config(self, tenant: str) -> dict[str, Any] | None:
        """The tenant's stored config (JSON data), or None when it keeps the defaults."""
        check_tenant(tenant)
        rows = self._rows("attribution/get_config", {"tenant": tenant})
        return json.loads(rows[0]["config"]) if rows and rows[0]["config"] else None

    def set_config(self, tenant: str, config: Mapping[str, Any]) -> None:
        """Store a validated config (JSON data) for the tenant, replacing any previous one."""
        check_tenant(tenant)
        self._rows("attribution/set_config",
                   {"tenant": tenant, "config": json.dumps(config, sort_keys=True),
                    "now": datetime.now(UTC)}, write=True)

    def read_storm(self, tenant: str, storm_id: str) -> StormArrays:
        """Every journey of the storm as arrays, in one streaming read."""
        check_tenant(tenant)
        return self._read(_read_storm, tenant, storm_id)

    def journey_storm(self, tenant: str, journey_id: str) -> str | None:
        """The storm of a journey of the tenant, or None when there is no such journey."""
        check_tenant(tenant)
        rows = self._rows("attribution/journey_storm",
                          {"tenant": tenant, "journey_id": journey_id})
        return rows[0]["storm_id"] if rows else None

    def write_run(self, tenant: str, storm_id: str, method: str, rows: Sequence[JourneyRow],
                  summary: Mapping[str, Any], batch_size: int = WRITE_BATCH) -> dict[str, int]:
        """Replace a method's results for a storm: per-journey rows in batches, then the stale
        ones deleted and the storm summary written in one last transaction.

        `summary` holds channels (channel -> credit), journeys, attributed, converted,
        total_value, skipped, details (mapping) and config (mapping). Returns
        {written, deleted}.
        """
        check_tenant(tenant)
        params = {"tenant": tenant, "storm_id": storm_id, "method": method,
                  "run_id": uuid.uuid4().hex, "now": datetime.now(UTC)}
        written = 0
        for chunk in _chunks(rows, batch_size):
            payload = [{"key": f"{tenant}|{row.journey_id}|{method}",
                        "journey_id": row.journey_id,
                        "credits": json.dumps(dict(row.credits)),
                        "touch_credits": [float(c) for c in row.touch_credits],
                        "value": float(row.value)} for row in chunk]
            written += self._write(_write_batch, {**params, "rows": payload})
        run = {"key": f"{tenant}|{storm_id}|{method}",
               "channels": json.dumps(dict(summary["channels"])),
               "journeys": int(summary["journeys"]), "attributed": int(summary["attributed"]),
               "converted": int(summary["converted"]),
               "total_value": float(summary["total_value"]),
               "skipped": int(summary["skipped"]),
               "details": json.dumps(summary.get("details") or {}),
               "config": json.dumps(summary.get("config") or {}, sort_keys=True)}
        deleted = self._write(_finish_run, params, run)
        return {"written": written, "deleted": deleted}

    def read_runs(self, tenant: str, storm_id: str, method: str | None = None) -> list[dict]:
        """The storm's run summaries (one per method, or only `method`), JSON fields decoded."""
        check_tenant(tenant)
        rows = self._rows("attribution/read_runs",
                          {"tenant": tenant, "storm_id": storm_id, "method": method})
        runs = []
        for row in rows:
            run = plain(row["run"])
            for name in ("channels", "details", "config"):
                run[name] = json.loads(run[name]) if run.get(name) else {}
            run.pop("key", None)
            runs.append(run)
        return runs

    def read_results(self, tenant: str, storm_id: str, method: str, skip: int = 0,
                     limit: int = 100) -> list[dict]:
        """A page of the storm's per-journey results of `method`, in journey order."""
        check_tenant(tenant)
        rows = self._rows("attribution/read_results",
                          {"tenant": tenant, "storm_id": storm_id, "method": method,
                           "skip": skip, "limit": limit})
        for row in rows:
            row["credits"] = json.loads(row["credits"])
        return plain(rows)
