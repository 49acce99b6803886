"""The event path under concurrent batches, as a stream consumer with several workers sends
them: 16 batches at once naming the same new people by different identifiers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from neo4j import Driver

from stormops.graph.journeys import JourneyGraph
from stormops.graph.profiles import BehavioralProfileService
from tests.graph.reference import comparable, expected_profile

WORKERS = 16  # the concurrency the identity graph must take without a duplicate
T0 = datetime(2024, 6, 1, 9, 0, tzinfo=UTC)


def _event(worker: int, person: int, n: int) -> dict:
    """Worker w's n-th event of a person: every worker names the person by the email, half
    of them also by the phone, so batches race to found the person from different keys."""
    identifiers = {"email": f"p{person}@example.com", "first_name": f"P{person}"}
    if worker % 2:
        identifiers["phone"] = f"214-555-01{person:02d}"
    return {"event_id": f"w{worker}-p{person}-{n}", "storm_id": f"S{n % 2}",
            "channel": ("sms", "door_knock", "email")[(worker + n) % 3],
            "ts": (T0 + timedelta(hours=worker * 10 + n)).isoformat(),
            "identifiers": identifiers}


def test_concurrent_batches_give_one_identity_per_person_and_every_event_once(
    driver: Driver, settings, tenant: str
) -> None:
    journeys = JourneyGraph(driver, settings.neo4j_database)
    people = range(5)
    batches = [[_event(w, p, n) for p in people for n in range(3)] for w in range(WORKERS)]
    batches += [batches[0], batches[1]]  # whole batches delivered twice, racing themselves
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda batch: journeys.record_events(tenant, batch), batches))

    by_person: dict[int, set[str]] = {}
    for batch, result in zip(batches, results, strict=True):
        for event, outcome in zip(batch, result.outcomes, strict=True):
            person = int(event["identifiers"]["email"][1])
            by_person.setdefault(person, set()).add(outcome.identity_id)
    assert all(len(ids) == 1 for ids in by_person.values()), by_person
    recorded = sum(o.status == "recorded" for r in results for o in r.outcomes)
    assert recorded == WORKERS * len(people) * 3, "every event recorded exactly once"
    profiles = BehavioralProfileService(driver, settings.neo4j_database)
    for person, [identity_id] in by_person.items():
        events = [e for batch in batches[:WORKERS] for e in batch
                  if e["identifiers"]["email"] == f"p{person}@example.com"]
        assert comparable(profiles.get_profile(tenant, identity_id)) == comparable(
            expected_profile(events))
