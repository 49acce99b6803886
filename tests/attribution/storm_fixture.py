"""A small storm with hand-checkable attribution, written through the real event path."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from neo4j import Driver

from stormops.graph.journeys import JourneyGraph

STORM = "S2024-HAIL-DFW"
START = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)

# email -> [(day, kind, channel, revenue)], in time order. See tests/attribution/test_engine.py
# for the credits each method must give.
PATHS: dict[str, list[tuple[float, str, str | None, float | None]]] = {
    "a@x.com": [(0, "touch", "door_knock", None), (1, "touch", "sms", None),
                (2, "conversion", None, 1000.0)],
    "b@x.com": [(0, "touch", "sms", None), (1, "conversion", None, 500.0)],
    "c@x.com": [(0, "touch", "email", None)],
    "d@x.com": [(0, "touch", "door_knock", None), (1, "touch", "email", None),
                (2, "touch", "door_knock", None), (3, "conversion", None, 300.0),
                (4, "touch", "sms", None)],  # after the conversion: ignored
}


def events(storm_id: str = STORM, paths: dict | None = None) -> list[dict[str, Any]]:
    out = []
    for n, (email, steps) in enumerate(sorted((paths or PATHS).items())):
        for k, (day, kind, channel, revenue) in enumerate(steps):
            event: dict[str, Any] = {
                "event_id": f"{storm_id}-{n}-{k}", "kind": kind, "storm_id": storm_id,
                "ts": (START + timedelta(days=day)).isoformat(),
                "identifiers": {"email": email}}
            if channel:
                event["channel"] = channel
            if revenue is not None:
                event["revenue"] = revenue
            out.append(event)
    return out


def load_storm(driver: Driver, database: str, tenant: str, storm_id: str = STORM,
               paths: dict | None = None) -> None:
    """Write the storm's events through `JourneyGraph` (journeys recomputed from events)."""
    graph = JourneyGraph(driver, database)
    graph.upsert_storms(tenant, [{"storm_id": storm_id, "sii": 60}])
    graph.record_events(tenant, events(storm_id, paths))
