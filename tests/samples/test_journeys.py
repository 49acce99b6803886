"""The journeys sample with impacted properties and withheld outreach: the demo's arms."""

from __future__ import annotations

from collections import Counter

from stormops.samples.homeowners import generate_records
from stormops.samples.journeys import FOLLOW_UP_WEIGHTS, generate_journeys, households

ROWS, SEED = 400, 11


def test_impacted_storms_list_the_homes_of_their_journeys() -> None:
    made = generate_journeys(ROWS, SEED, impacted=True)
    homes = households(generate_records(ROWS, SEED))
    for storm in made.storms:
        seen = {homes[e["household_id"]][0] for e in made.events
                if e["storm_id"] == storm["storm_id"] and e["household_id"] in homes}
        assert set(storm.get("properties", {})) == seen
        assert all(0 <= p["sii"] <= 100 and (p["zip"] == "" or p["zip"].isdigit())
                   for p in storm.get("properties", {}).values())
    assert generate_journeys(ROWS, SEED).events == made.events  # the list changes nothing


def test_withheld_channels_drop_follow_ups_only() -> None:
    plain = generate_journeys(ROWS, SEED)
    storm = plain.storms[0]["storm_id"]
    everything = frozenset(FOLLOW_UP_WEIGHTS)
    held = generate_journeys(ROWS, SEED, withheld=lambda s, p: everything if s == storm
                             else frozenset())
    touches = Counter(e["truth_journey"] for e in held.events
                      if e["kind"] == "touch" and e["storm_id"] == storm)
    before = Counter(e["truth_journey"] for e in plain.events
                     if e["kind"] == "touch" and e["storm_id"] == storm)
    homes = households(generate_records(ROWS, SEED))
    housed = {e["truth_journey"] for e in plain.events if e["household_id"] in homes}
    # a housed journey keeps one capture touch per sighting; the rest are as before
    assert all(touches[j] < before[j] or touches[j] == 1 for j in housed & set(before))
    assert sum(touches.values()) < sum(before.values())
    others = [e for e in held.events if e["storm_id"] != storm]
    assert [e["truth_journey"] for e in others] == [
        e["truth_journey"] for e in plain.events if e["storm_id"] != storm]
