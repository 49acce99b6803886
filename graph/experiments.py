"""Experiments and their arms in the graph: (:Experiment)-[:ASSIGNED {variant}]->(:Property)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from stormops.core.errors import NotFound
from stormops.cypher import cypher
from stormops.graph._identifiers import check_tenant, property_key
from stormops.graph._store import GraphStore
from stormops.graph._values import plain


class ExperimentStore(GraphStore):
    """Tenant-scoped storage of experiment definitions and arms."""

    def _query(self, name: str, **params: Any) -> list[dict]:
        records, _, _ = self.driver.execute_query(cypher(name), database_=self.database,
                                                  **params)
        return [r.data() for r in records]

    def create(self, tenant: str, config: dict[str, Any]) -> str:
        """Store a validated definition (flat values and lists); returns the experiment id."""
        check_tenant(tenant)
        experiment_id = str(uuid.uuid4())
        self._query("experiment/create_experiment", tenant=tenant, experiment_id=experiment_id,
                    now=datetime.now(UTC), config=config)
        return experiment_id

    def get(self, tenant: str, experiment_id: str) -> dict[str, Any]:
        """The stored definition. Raises NotFound for another tenant's or an unknown id."""
        check_tenant(tenant)
        rows = self._query("experiment/get_experiment", tenant=tenant,
                           experiment_id=experiment_id)
        if not rows:
            raise NotFound(f"experiment {experiment_id} not found", field="experiment_id")
        return plain(rows[0]["experiment"])

    def record_assignments(self, tenant: str, experiment_id: str,
                           rows: list[dict[str, Any]]) -> None:
        """Write arms ({property_id, zip, variant, unit}); existing arms are kept."""
        keyed = [{**row, "key": property_key(tenant, row["property_id"])} for row in rows]
        self._write(lambda tx: tx.run(
            cypher("experiment/assign_properties"), tenant=tenant, experiment_id=experiment_id,
            now=datetime.now(UTC), rows=keyed).consume())

    def arm_counts(self, tenant: str, experiment_id: str) -> dict[str, tuple[int, int]]:
        """{variant: (assignment units, properties)}."""
        rows = self._query("experiment/arm_counts", tenant=tenant, experiment_id=experiment_id)
        return {row["variant"]: (row["units"], row["properties"]) for row in rows}

    def assignments(self, tenant: str, experiment_id: str) -> dict[str, str]:
        """{property_id: variant} of every property assigned."""
        rows = self._query("experiment/assignments", tenant=tenant, experiment_id=experiment_id)
        return {row["property_id"]: row["variant"] for row in rows}

    def unit_outcomes(self, tenant: str, experiment_id: str, storm_id: str) -> list[dict]:
        """Per assigned property: variant, unit, property_id, converted (bool), revenue, play
        (of a journey there; None when nobody there has one in the storm)."""
        [row] = self._query("experiment/unit_outcomes", tenant=tenant,
                            experiment_id=experiment_id, storm_id=storm_id)
        return [{"variant": v, "unit": u, "property_id": p, "converted": c, "revenue": r,
                 "play": play or None}
                for v, u, p, c, r, play in zip(row["variants"], row["units"], row["property_ids"],
                                               row["converted"], row["revenue"], row["plays"],
                                               strict=True)]

    def list(self, tenant: str, storm_id: str | None = None) -> list[dict[str, Any]]:
        """Definitions, newest first (those of one storm when given), each with `arms`:
        {variant: (units, properties)}."""
        check_tenant(tenant)
        rows = self._query("experiment/list_experiments", tenant=tenant, storm_id=storm_id)
        return [{**plain(row["experiment"]),
                 "arms": {a["variant"]: (a["units"], a["properties"]) for a in row["arms"]}}
                for row in rows]

    def storm_experiments(self, tenant: str, storm_id: str) -> list[dict[str, Any]]:
        """Definitions of the experiments run in a storm, oldest first."""
        check_tenant(tenant)
        rows = self._query("experiment/storm_experiments", tenant=tenant, storm_id=storm_id)
        return [plain(row["experiment"]) for row in rows]
