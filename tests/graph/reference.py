"""Profiles recomputed in plain Python from raw events, to check the graph's against.

Written from the definitions in graph/profiles.py's docstring, not from its queries.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

FIELDS = ("total_storms", "total_conversions", "lifetime_value", "avg_sii_score", "avg_uplift",
          "primary_channel", "storms", "total_touches", "total_cost", "first_seen",
          "last_event_at")


def _ts(event: dict[str, Any]) -> datetime:
    value = datetime.fromisoformat(event["ts"])
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def expected_journeys(events: list[dict[str, Any]],
                      storm_sii: dict[str, float] | None = None) -> dict[str, dict[str, Any]]:
    """Per storm: the journey the events make (ordered by time, then event id)."""
    by_storm: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in sorted(events, key=lambda e: (_ts(e), e["event_id"])):
        by_storm[event["storm_id"]].append(event)
    journeys = {}
    for storm, evs in by_storm.items():
        touches = [e for e in evs if e.get("kind", "touch") == "touch"]
        conversions = [e for e in evs if e.get("kind") == "conversion"]
        siis = [e["sii"] for e in evs if e.get("sii") is not None]
        uplifts = [e["uplift"] for e in evs if e.get("uplift") is not None]
        journeys[storm] = {
            "channels": [e["channel"] for e in touches],
            "touch_ts": [_ts(e) for e in touches],
            "conversions": len(conversions),
            "converted": bool(conversions),
            "revenue": round(math.fsum(e.get("revenue", 0.0) for e in conversions), 2),
            "cost": round(math.fsum(e.get("cost", 0.0) for e in evs), 2),
            "sii_score": siis[-1] if siis else (storm_sii or {}).get(storm),
            "uplift_score": uplifts[-1] if uplifts else None,
            "started_at": _ts(evs[0]),
            "last_at": _ts(evs[-1]),
            "event_ids": [e["event_id"] for e in evs],
        }
    return journeys


def expected_profile(events: list[dict[str, Any]],
                     storm_sii: dict[str, float] | None = None) -> dict[str, Any]:
    """The profile fields (but segment and last_updated) of an identity with these events."""
    journeys = expected_journeys(events, storm_sii)
    touched: dict[str, list] = {}
    for journey in journeys.values():
        for channel, ts in zip(journey["channels"], journey["touch_ts"], strict=True):
            count, last = touched.get(channel, (0, ts))
            touched[channel] = (count + 1, max(last, ts))
    siis = [j["sii_score"] for j in journeys.values() if j["sii_score"] is not None]
    uplifts = [j["uplift_score"] for j in journeys.values() if j["uplift_score"] is not None]
    return {
        "total_storms": len(journeys),
        "total_conversions": sum(j["conversions"] for j in journeys.values()),
        "lifetime_value": round(math.fsum(j["revenue"] for j in journeys.values()), 2),
        "avg_sii_score": math.fsum(siis) / len(siis) if siis else None,
        "avg_uplift": math.fsum(uplifts) / len(uplifts) if uplifts else None,
        "primary_channel": min(touched, key=lambda c: (-touched[c][0],
                                                       -touched[c][1].timestamp(), c),
                               default=None),
        "storms": sorted(journeys),
        "total_touches": sum(len(j["channels"]) for j in journeys.values()),
        "total_cost": round(math.fsum(j["cost"] for j in journeys.values()), 2),
        "first_seen": min(j["started_at"] for j in journeys.values()),
        "last_event_at": max(j["last_at"] for j in journeys.values()),
    }


def comparable(profile: dict[str, Any]) -> dict[str, Any]:
    """The fields `expected_profile` gives, floats rounded so sums in another order compare."""
    out = {}
    for name in FIELDS:
        value = profile[name]
        out[name] = round(value, 9) if isinstance(value, float) else value
    return out
