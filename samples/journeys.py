"""Synthetic storms, journeys and events on top of `samples.homeowners`'s homeowner records.

The homeowner generator says who was seen where: each record is one sighting of a person in a
storm through a channel, with the identifiers (and the noise) that form carried. This module
turns those sightings into the events a contractor platform receives, so journeys and
profiles can be shown and checked in Neo4j. Deterministic for a given (rows, seed).

Ground truth (documented so results can be scored):

- **Storms**: one per storm id of the records (S2023-HAIL-DFW, ...), dated in the id's year
  (March-August) with a storm-wide SII (storm impact index, 0-100) drawn in [35, 90].
- **SII at a home**: storm SII + N(0, 12), clipped to 0-100, fixed per (storm, household);
  every event carries the SII of the household's home in its storm (`sii`).
- **Touches**: each sighting becomes 1-6 touch events (mean about 2.6) carrying exactly that
  record's identifiers, noise included, so the identity graph decides where they land. The
  first touch is in the record's channel (web_form -> social, roof_inspection ->
  door_knock, the rest as they are); follow-ups are drawn from `FOLLOW_UP_WEIGHTS`. A
  sighting starts 0-60 days after the storm; its touches are 4-72 hours apart.
- **True journey**: (person_id, storm_id), i.e. every touch of that person's sightings in
  that storm. Its uplift score u is uniform in [-0.1, 0.6]; its play is aggressive
  (u >= 0.3), moderate (u >= 0.1) or conservative, carried by every touch, and u by the
  journey's first touch.
- **Conversion**: a true journey converts with probability
  1 - (1 - BASE_RATE) * prod over its distinct channels c of (1 - CHANNEL_LIFT[c]), scaled by
  (0.5 + SII/100) and capped at 0.95. A converting journey gets one conversion event 1-10
  days after its last touch, carrying the identifiers of its last sighting, with revenue
  lognormal around $12,000 (sigma 0.6 in logs; rounded to cents).
- `truth` holds each person's profile as the graph computes it (see `graph.profiles`) when
  every event of the person resolves to one identity and no one else's do: total_storms,
  total_conversions, lifetime_value, avg_sii_score, avg_uplift, primary_channel. Where
  resolution splits or joins people, the graph's profiles differ from it by exactly that.

Event ids are `E` + an 8-digit number, in time order; events are returned sorted by time.
"""

from __future__ import annotations

import csv
import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Container
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from stormops.core.events import EVENT_COLUMNS
from stormops.core.identifiers import IDENTITY_FIELDS
from stormops.samples.homeowners import generate_records

TRUTH_COLUMNS: tuple[str, ...] = ("person_id", "household_id", "truth_journey")
CAPTURE_CHANNEL = {"web_form": "social", "roof_inspection": "door_knock"}
FOLLOW_UP_WEIGHTS = {"sms": 0.25, "email": 0.25, "door_knock": 0.15, "call_center": 0.15,
                     "direct_mail": 0.10, "paid_search": 0.05, "social": 0.05}
BASE_RATE = 0.04
CHANNEL_LIFT = {"door_knock": 0.10, "referral": 0.12, "call_center": 0.06, "sms": 0.03,
                "email": 0.02, "paid_search": 0.04, "social": 0.02, "direct_mail": 0.03}
_TOUCHES = (1, 2, 3, 4, 5, 6)
_TOUCH_WEIGHTS = (0.30, 0.25, 0.20, 0.12, 0.08, 0.05)
_KINDS = {"HAIL": "Hail", "HURR": "Hurricane", "WIND": "Windstorm"}
_METROS = {"DFW": "Dallas-Fort Worth", "HOU": "Houston", "AUS": "Austin",
           "OKC": "Oklahoma City", "DEN": "Denver"}


@dataclass
class SampleJourneys:
    """Storms (for `JourneyGraph.upsert_storms`), events (flat rows of `EVENT_COLUMNS` plus
    `TRUTH_COLUMNS`, in time order) and each person's true profile."""

    storms: list[dict[str, Any]]
    events: list[dict[str, str]]
    truth: dict[str, dict[str, Any]]


def _storm(storm_id: str, rng: random.Random) -> dict[str, Any]:
    _, kind, metro = storm_id.split("-")
    year = int(storm_id[1:5])
    when = date(year, rng.randint(3, 8), rng.randint(1, 28))
    name = f"{year} {_KINDS.get(kind, kind.title())} - {_METROS.get(metro, metro)}"
    return {"storm_id": storm_id, "name": name, "date": when.isoformat(),
            "sii": round(rng.uniform(35, 90), 1)}


def _home_sii(seed: int, storm: dict[str, Any], household: str) -> float:
    rng = random.Random(f"{seed}|{storm['storm_id']}|{household}")
    return round(min(100.0, max(0.0, rng.gauss(storm["sii"], 12))), 1)


def households(records: list[dict[str, str]]) -> dict[str, tuple[str, str]]:
    """Each household's home as the records show it: (property_id, zip), the property id its
    records give most often and the zip given most often with it. Households none of whose
    records shows a property id are absent: no one could tell where they live."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    zips: dict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
        if record["property_id"]:
            seen[record["household_id"]][record["property_id"]] += 1
            if record["zip"]:
                zips[record["property_id"]][record["zip"]] += 1
    homes = {}
    for household, counts in seen.items():
        property_id = min(counts, key=lambda p: (-counts[p], p))
        zip_counts = zips.get(property_id)
        homes[household] = (property_id, min(zip_counts, key=lambda z: (-zip_counts[z], z))
                            if zip_counts else "")
    return homes


def generate_journeys(rows: int, seed: int = 0, *, impacted: bool = False,
                      withheld: Callable[[str, str], Container[str]] | None = None
                      ) -> SampleJourneys:
    """Events for the `rows` records of `generate_records(rows, seed)`; see the module doc.

    Args:
        rows: homeowner records to build on.
        seed: the seed; same arguments, same output.
        impacted: give each storm the properties it hit (`properties`: {property_id: {sii,
            zip}}, every home of a household with a journey in it, per `households`).
        withheld: (storm_id, property_id) -> channels whose follow-up touches that home
            does not get in that storm (an experiment's arm: a geo split's control withholds
            every channel, a channel holdout one). The capture touch always stays. Draws are
            made as without it, so the same people, times and uplifts come out, and only
            what the withheld touches would have added to conversion is lost.
    """
    records = generate_records(rows, seed)
    rng = random.Random(seed * 7919 + 17)
    storms = {sid: _storm(sid, rng) for sid in sorted({r["storm_id"] for r in records})}
    homes = households(records) if impacted or withheld else {}
    follow_channels = tuple(FOLLOW_UP_WEIGHTS)
    follow_weights = tuple(FOLLOW_UP_WEIGHTS.values())

    # Sightings, grouped into true journeys (person, storm).
    journeys: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        storm = storms[record["storm_id"]]
        start = (datetime.fromisoformat(storm["date"]).replace(tzinfo=UTC)
                 + timedelta(days=rng.uniform(0, 60)))
        n = rng.choices(_TOUCHES, _TOUCH_WEIGHTS)[0]
        channels = [CAPTURE_CHANNEL.get(record["channel"], record["channel"])]
        channels += rng.choices(follow_channels, follow_weights, k=n - 1)
        times, ts = [], start
        for _ in range(n):
            times.append(ts)
            ts += timedelta(hours=rng.uniform(4, 72))
        journeys[(record["person_id"], record["storm_id"])].append(
            {"record": record, "channels": channels, "times": times})

    events: list[dict[str, Any]] = []
    truth_journeys: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (person_id, storm_id), sightings in sorted(journeys.items()):
        storm = storms[storm_id]
        household = sightings[0]["record"]["household_id"]
        sii = _home_sii(seed, storm, household)
        uplift = round(rng.uniform(-0.1, 0.6), 3)
        play = "aggressive" if uplift >= 0.3 else "moderate" if uplift >= 0.1 else "conservative"
        home = homes.get(household)
        if impacted and home:
            storm.setdefault("properties", {})[home[0]] = {"sii": sii, "zip": home[1]}
        held = withheld(storm_id, home[0]) if withheld and home else ()
        touches = sorted(((t, c, s["record"]) for s in sightings
                          for k, (t, c) in enumerate(zip(s["times"], s["channels"],
                                                         strict=True))
                          if k == 0 or c not in held),
                         key=lambda x: x[0])
        journey_key = f"{person_id}|{storm_id}"
        for pos, (ts, channel, record) in enumerate(touches):
            events.append(_row(record, journey_key, ts, "touch", channel=channel, sii=sii,
                               play=play, uplift=uplift if pos == 0 else None,
                               campaign=f"{storm_id}-{channel}",
                               cost=_COST.get(channel, 1.0)))
        distinct = sorted({c for _, c, _ in touches})  # sorted: a fixed product order
        p_convert = 1 - (1 - BASE_RATE) * math.prod(1 - CHANNEL_LIFT.get(c, 0) for c in distinct)
        p_convert = min(0.95, p_convert * (0.5 + sii / 100))
        revenue = None
        if rng.random() < p_convert:
            revenue = round(rng.lognormvariate(math.log(12_000), 0.6), 2)
            when = touches[-1][0] + timedelta(days=rng.uniform(1, 10))
            events.append(_row(touches[-1][2], journey_key, when, "conversion", revenue=revenue,
                               sii=sii, play=play))
        truth_journeys[person_id].append({
            "storm_id": storm_id, "sii": sii, "uplift": uplift, "revenue": revenue,
            "touches": [(ts, c) for ts, c, _ in touches]})

    events.sort(key=lambda e: (e["ts"], e["truth_journey"], e["kind"]))
    for number, event in enumerate(events, 1):
        event["event_id"] = f"E{number:08d}"
    truth = {person: _true_profile(js) for person, js in sorted(truth_journeys.items())}
    return SampleJourneys(list(storms.values()), events, truth)


# What a touch costs the contractor, by channel (dollars).
_COST = {"door_knock": 18.0, "sms": 0.05, "email": 0.01, "paid_search": 6.5, "social": 3.0,
         "direct_mail": 1.2, "referral": 50.0, "call_center": 7.5}


def _row(record: dict[str, str], journey_key: str, ts: datetime, kind: str,
         **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys((*EVENT_COLUMNS, *TRUTH_COLUMNS), "")
    row.update({k: record[k] for k in IDENTITY_FIELDS})
    row.update(kind=kind, storm_id=journey_key.split("|")[1], ts=ts.isoformat(),
               person_id=record["person_id"], household_id=record["household_id"],
               truth_journey=journey_key)
    row.update({k: "" if v is None else v for k, v in fields.items()})
    return row


def _true_profile(journeys: list[dict[str, Any]]) -> dict[str, Any]:
    """A person's profile by the definitions of `graph.profiles.compute_profile`."""
    counts: Counter[str] = Counter()
    last: dict[str, datetime] = {}
    for journey in journeys:
        for ts, channel in journey["touches"]:
            counts[channel] += 1
            last[channel] = max(last.get(channel, ts), ts)
    primary = min(counts, key=lambda c: (-counts[c], -last[c].timestamp(), c))
    converted = [j["revenue"] for j in journeys if j["revenue"] is not None]
    return {
        "total_storms": len(journeys),
        "total_conversions": len(converted),
        "lifetime_value": round(math.fsum(converted), 2),
        "avg_sii_score": math.fsum(j["sii"] for j in journeys) / len(journeys),
        "avg_uplift": math.fsum(j["uplift"] for j in journeys) / len(journeys),
        "primary_channel": primary,
    }


def write_events_csv(events: list[dict[str, Any]], path: str | Path) -> None:
    """CSV with header EVENT_COLUMNS + TRUTH_COLUMNS (`stormops events load` reads it)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=(*EVENT_COLUMNS, *TRUTH_COLUMNS))
        writer.writeheader()
        writer.writerows(events)
