"""The review queue and the merge log as people read them: filters, both sides of a pair,
evidence and moved lists as JSON objects, reason codes with their sentences.

The shaping functions are shared by the sync reads here (the CLI) and the async reader of
the HTTP service (`graph.aio`), so both answer alike.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from stormops.core.errors import InvalidInput, NotFound
from stormops.core.reasons import REVIEW_REASONS, UNKNOWN_REASON, reason_code, reason_text
from stormops.graph._identifiers import check_tenant
from stormops.graph._store import GraphStore
from stormops.graph._values import plain
from stormops.graph.records import record_key

STATUSES = ("open", "approved", "rejected")
EVENT_KINDS = ("merge", "auto_merge", "unmerge")
# Merge event properties stored as JSON text; read back as objects.
_JSON_FIELDS = ("evidence", "moved", "moved_ties", "moved_events", "skipped")


@dataclass(frozen=True)
class QueueFilter:
    """Which review items to list.

    Attributes:
        status: open | approved | rejected.
        reason: a reason code (`core.reasons.REVIEW_REASONS`), or None for any.
        identity_id: only items with this identity among their candidates.
        min_probability: only items whose pair scored at least this.
        max_probability: at most this.
    """

    status: str = "open"
    reason: str | None = None
    identity_id: str | None = None
    min_probability: float | None = None
    max_probability: float | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise InvalidInput(f"status: expected one of {', '.join(STATUSES)}, got "
                               f"{self.status!r}", field="status")
        if self.reason is not None and self.reason not in (*REVIEW_REASONS, UNKNOWN_REASON):
            raise InvalidInput(f"reason: expected one of {', '.join(REVIEW_REASONS)}, got "
                               f"{self.reason!r}", field="reason")
        for name in ("min_probability", "max_probability"):
            value = getattr(self, name)
            if value is not None and not 0.0 <= value <= 1.0:
                raise InvalidInput(f"{name}: expected 0 to 1, got {value}", field=name)
        if None not in (self.min_probability, self.max_probability) and (
                self.min_probability > self.max_probability):
            raise InvalidInput("min_probability: must not exceed max_probability",
                               field="min_probability")

    def params(self) -> dict[str, Any]:
        """The query parameters."""
        return asdict(self)

    def queries(self) -> tuple[str, str]:
        """The names of the page query and the count query for this filter: one identity's
        items are read from the identity, any others on the queue's index."""
        if self.identity_id is None:
            return "review/queue", "review/count"
        return "review/queue_of_identity", "review/count_of_identity"


@dataclass(frozen=True)
class LogFilter:
    """Which merge events to list: by actor, kind, and time (since inclusive, until not)."""

    actor: str | None = None
    kind: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def __post_init__(self) -> None:
        if self.kind is not None and self.kind not in EVENT_KINDS:
            raise InvalidInput(f"kind: expected one of {', '.join(EVENT_KINDS)}, got "
                               f"{self.kind!r}", field="kind")
        if None not in (self.since, self.until) and self.since >= self.until:
            raise InvalidInput("since: must be before until", field="since")

    def params(self) -> dict[str, Any]:
        return asdict(self)


def _decoded(value: Any) -> Any:
    """JSON text as an object; anything else as it is."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def shape_event(event: dict[str, Any]) -> dict[str, Any]:
    """A merge event with its evidence and moved lists as objects."""
    event = plain(event)
    return {**event, **{name: _decoded(event[name]) for name in _JSON_FIELDS if name in event}}


def side_ids(items: list[dict[str, Any]]) -> list[str]:
    """The identities a page of items names, each once."""
    return sorted({identity for item in items for identity in item["identity_ids"]})


def shape_item(item: dict[str, Any], sides: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A review item as the API answers it: both sides' summaries (`sides`: by identity id),
    evidence as an object, the reason code and its sentence, whether an approval's merge was
    undone since, and the pair's record ids."""
    item = plain(item)
    item["sides"] = [sides[i] for i in item["identity_ids"] if i in sides]
    evidence = _decoded(item.get("evidence")) or {}
    if not isinstance(evidence, dict):
        evidence = {"text": evidence}
    code = item.get("reason") or reason_code(evidence)
    undone_by = item.pop("undone_by", None) or []
    record_ids = evidence.get("record_ids")
    return {**item, "evidence": evidence, "reason": code, "reason_text": reason_text(code),
            "match_probability": item.get("match_probability",
                                          evidence.get("match_probability")),
            "event_ids": item.get("event_ids") or [],
            "undone": bool(undone_by), "undone_by": undone_by,
            "record_ids": record_ids if isinstance(record_ids, list) else []}


def pair_keys(tenant: str, record_ids: list[str]) -> list[str]:
    """Record keys of a review pair (its first two record ids)."""
    return [record_key(tenant, str(record_id)) for record_id in record_ids[:2]]


class ReviewLog(GraphStore):
    """The review queue and merge log of a tenant, read synchronously (the CLI's view)."""

    def queue(self, tenant: str, where: QueueFilter, offset: int = 0, limit: int = 50
              ) -> tuple[list[dict[str, Any]], int]:
        """A page of review items, oldest first, and how many match the filter."""
        check_tenant(tenant)
        page, count = where.queries()
        ids = [row["item_id"] for row in self._rows(
            page, {"tenant": tenant, **where.params(), "offset": offset, "limit": limit})]
        total = self._rows(count, {"tenant": tenant, **where.params()})[0]["total"]
        return self._items(tenant, ids), total

    def _items(self, tenant: str, item_ids: list[str]) -> list[dict[str, Any]]:
        """The items, in order, with their sides' summaries."""
        items = [row["item"] for row in self._rows(
            "review/items", {"tenant": tenant, "item_ids": item_ids})]
        rows = self._rows("review/sides", {"tenant": tenant, "identity_ids": side_ids(items)})
        sides = {row["side"]["identity_id"]: plain(row["side"]) for row in rows}
        return [shape_item(item, sides) for item in items]

    def item(self, tenant: str, item_id: str) -> dict[str, Any]:
        """One review item with both sides.

        Raises:
            NotFound: no such item in this tenant.
        """
        check_tenant(tenant)
        items = self._items(tenant, [item_id])
        if not items:
            raise NotFound(f"review item {item_id} not found", field="item_id")
        return items[0]

    def pair_records(self, tenant: str, record_ids: list[str]) -> list[dict[str, Any]]:
        """The stored columns of the pair's records (those still stored), in order."""
        check_tenant(tenant)
        return [row["record"] for row in self._rows(
            "review/pair_records", {"tenant": tenant, "keys": pair_keys(tenant, record_ids)})]

    def merge_log(self, tenant: str, where: LogFilter, offset: int = 0, limit: int = 50
                  ) -> list[dict[str, Any]]:
        """The tenant's merge events, newest first."""
        check_tenant(tenant)
        rows = self._rows("review/merge_log", {"tenant": tenant, **where.params(),
                                               "offset": offset, "limit": limit})
        return [shape_event(row["event"]) for row in rows]
