"""Storms of a tenant: the list, one storm, and the properties it hit.

A storm exists once it is in the graph (`JourneyGraph.upsert_storms`, or an event naming
it); asking for any other is a `NotFound`, so reports and experiments never answer for a
storm that is not there.
"""

from __future__ import annotations

from typing import Any

from stormops.core.errors import NotFound
from stormops.graph._identifiers import check_tenant
from stormops.graph._store import GraphStore
from stormops.graph._values import plain

__all__ = ["StormStore"]


class StormStore(GraphStore):
    """Tenant-scoped reads of storms.

    Example:
        >>> StormStore(driver, "neo4j").get("acme", "S2024-HAIL-DFW")["journeys"]
        812
    """

    def list(self, tenant: str) -> list[dict[str, Any]]:
        """Every storm of the tenant, newest first, with journeys, conversions, revenue,
        impacted properties and experiments counted."""
        check_tenant(tenant)
        return [plain(row["storm"]) for row in self._rows("storm/list_storms",
                                                          {"tenant": tenant})]

    def get(self, tenant: str, storm_id: str) -> dict[str, Any]:
        """One storm with its counts.

        Raises:
            NotFound: no such storm in this tenant (field `storm_id`).
        """
        check_tenant(tenant)
        rows = self._rows("storm/get_storm", {"tenant": tenant, "key": f"{tenant}|{storm_id}"})
        if not rows:
            raise NotFound(f"storm {storm_id} not found", field="storm_id")
        return plain(rows[0]["storm"])

    def impacted_properties(self, tenant: str, storm_id: str) -> list[dict[str, Any]]:
        """The properties the storm hit ({property_id, zip, uplift}), by property id.

        Raises:
            NotFound: no such storm in this tenant.
        """
        self.get(tenant, storm_id)
        return self._rows("storm/impacted_properties",
                          {"tenant": tenant, "key": f"{tenant}|{storm_id}",
                           "storm_id": storm_id}, timeout=300)
