"""What the marketing-mix model reads from the graph: weekly touchpoint sums and the storms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from stormops.graph._identifiers import check_tenant
from stormops.graph._store import GraphStore


class MixDataStore(GraphStore):
    """Tenant-scoped reads of the weekly marketing data (touch cost, conversions, storms)."""

    def weekly_touchpoints(self, tenant: str, since: datetime | None = None,
                           until: datetime | None = None) -> list[dict[str, Any]]:
        """Rows {week (ISO Monday), kind, channel, cost, events, revenue}, summed over the
        tenant's touchpoints with `since <= ts < until` (either end open when None)."""
        check_tenant(tenant)
        return self._rows("mmm/weekly_touchpoints",
                          {"tenant": tenant, "since": since, "until": until}, timeout=300)

    def storms(self, tenant: str) -> list[dict[str, Any]]:
        """The tenant's dated storms: {storm_id, date (ISO), sii}."""
        check_tenant(tenant)
        return self._rows("mmm/storms", {"tenant": tenant})
