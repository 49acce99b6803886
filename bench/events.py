"""Journey events: bulk load throughput, event-to-profile latency over HTTP, targeting.

1. Bulk: the sample generator's events (`samples.journeys`, about 2.7 events per
   homeowner record; `--events` sets the size, 1,000,000 for the issue's figure) loaded with
   `JourneyGraph.load_events`: every event resolved through the identity graph, appended to its
   journey, then each journey and profile touched recomputed. Events/s, end to end, for a
   cold load (every person new: identities, identifiers and properties created as events
   come) and a warm one (the same people again, with new event ids). The baseline, in the
   same process: the bare append, i.e. the same events written by the same query in the same
   batches onto existing journeys, with nothing resolved or recomputed.
2. Event -> profile: `stormops serve`, then one at a time a new touch for a known person
   (their identifiers, as the sample carries them) is POSTed to /v1/events; the time until the
   POST returns (the profile it returns is the committed one), and until a following
   GET /v1/identities/{id}/profile shows it (total_touches went up). p50/p99.
3. Targeting: the first page (50) of GET /v1/identities?min_ltv=50000, of a segment, and of a
   storm, over the identities the load made (100k+ at 1M events). p50/p99.

Targets (2 cores, Neo4j and the client on the same machine): bulk >= 20,000 events/s;
event -> profile p99 <= 50 ms; targeting first page <= 50 ms.
Run with Neo4j up: `python bench/events.py --events 1000000`. The tenant is deleted at the end.
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
from _common import api_server, cpu_per_1k, cpu_used, percentiles_ms, save

from stormops.core.events import parse_event, row_to_event
from stormops.core.segments import ProfileConfig
from stormops.core.settings import Settings
from stormops.core.targeting import TargetQuery
from stormops.cypher import cypher
from stormops.graph import apply_schema, delete_tenant, open_driver
from stormops.graph._values import chunks
from stormops.graph.api_keys import create_api_key
from stormops.graph.journeys import (
    JourneyGraph,
    _epoch_micros,
    event_key,
)
from stormops.graph.profiles import BehavioralProfileService
from stormops.samples.journeys import generate_journeys

EVENTS_PER_RECORD = 2.7




def _timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=200_000,
                        help="approximate number of events to bulk load (1,000,000 for the "
                             "issue's figure)")
    parser.add_argument("--batch-size", type=int, default=5_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--singles", type=int, default=1_000, help="events POSTed one by one")
    parser.add_argument("--pages", type=int, default=300, help="targeting requests per query")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark tenant's data")
    args = parser.parse_args()

    settings = Settings()
    tenant = f"bench-events-{uuid.uuid4().hex[:8]}"
    t0 = time.perf_counter()
    sample = generate_journeys(max(10, int(args.events / EVENTS_PER_RECORD)), seed=11)
    events = [row_to_event(e) for e in sample.events]
    print(f"generated {len(events):,} events in {time.perf_counter() - t0:.1f} s; "
          f"tenant {tenant}")
    figures: dict = {"events": len(events), "batch_size": args.batch_size,
                     "workers": args.workers,
                     "touches": sum(1 for e in events if e.get("kind") == "touch")}
    with open_driver(settings) as driver:
        apply_schema(driver, settings.neo4j_database)
        journeys = JourneyGraph(driver, settings.neo4j_database)
        profiles = BehavioralProfileService(driver, settings.neo4j_database)
        try:
            journeys.upsert_storms(tenant, sample.storms)
            loads = {"cold": events,  # every identifier new: identities created as they come
                     "warm": [{**e, "event_id": f"W{e['event_id']}"} for e in events]}
            for name, batch in loads.items():
                figures[f"bulk_{name}"] = _bulk(journeys, tenant, batch, name, args)
            figures["bulk_bare_append"] = _bare_append(driver, settings, tenant, events, args)
            for name in loads:
                ratio = (figures[f"bulk_{name}"]["events_per_s"]
                         / figures["bulk_bare_append"]["events_per_s"])
                figures[f"bulk_{name}_vs_bare"] = ratio
                print(f"bulk {name} / bare append: {ratio:.2f}x")
            records, _, _ = driver.execute_query(
                "MATCH (p:Profile) WHERE p.tenant_id = $tenant AND p.lifetime_value >= 0 "
                "RETURN count(p) AS n", tenant=tenant, database_=settings.neo4j_database)
            figures["profiles"] = records[0]["n"]

            figures.update(_single_events(settings, driver, tenant, sample, args.singles))
            figures.update(_targeting(settings, driver, profiles, tenant, args.pages))
        finally:
            if not args.keep:
                delete_tenant(driver, settings.neo4j_database, tenant)
    print(f"saved {save('events', figures)}")


def _bulk(journeys: JourneyGraph, tenant: str, events: list[dict], name: str,
          args: argparse.Namespace) -> dict:
    """One timed `load_events`: resolve, append, then recompute journeys and profiles."""
    t0 = time.perf_counter()
    with cpu_used(Settings()) as cpu:
        result = journeys.load_events(tenant, events, args.batch_size, args.workers)
    seconds = time.perf_counter() - t0
    print(f"bulk load ({name}): {len(events):,} events in {seconds:.1f} s = "
          f"{len(events) / seconds:,.0f} events/s (target >= 20,000); "
          f"{result.identities_created:,} identities created, "
          f"{result.journeys_refreshed:,} journeys recomputed, {len(result.rejected)} rejected; "
          f"seconds: append {result.seconds['append']:.1f}, "
          f"recompute {result.seconds['recompute']:.1f}")
    print(f"  {cpu_per_1k(cpu, len(events))}")
    assert result.recorded == len(events), result
    return {"seconds": seconds, "events_per_s": len(events) / seconds, "cpu_s": cpu,
            "identities_created": result.identities_created,
            "journeys_refreshed": result.journeys_refreshed, "stages_s": result.seconds}


def _bare_append(driver, settings: Settings, tenant: str, events: list[dict],
                 args: argparse.Namespace) -> dict:
    """The floor under a bulk load: the same events written by the same append query, in the
    same batches and workers, onto journeys that exist already (spread over each storm's
    journeys), with no resolution and no recomputation."""
    config = ProfileConfig()
    parsed = [parse_event({**e, "event_id": f"B{e['event_id']}"}, config.channels)
              for e in events]
    records, _, _ = driver.execute_query(
        "MATCH (j:Journey) WHERE j.tenant_id = $tenant RETURN j.storm_id AS storm, "
        "collect(j.journey_id) AS ids", tenant=tenant, database_=settings.neo4j_database)
    by_storm = {r["storm"]: r["ids"] for r in records}
    rows = []
    for n, event in enumerate(parsed):
        seconds, micros = divmod(_epoch_micros(event.ts), 1_000_000)
        ids = by_storm[event.storm_id]
        rows.append({"key": event_key(tenant, event.event_id), "journey_id": ids[n % len(ids)],
                     "storm_key": f"{tenant}|{event.storm_id}", "property_key": None,
                     "ts_s": seconds, "ts_ns": micros * 1000, "props": event.props()})
    query = cypher("journey/append_events")

    def write(batch: list[dict]) -> None:
        with driver.session(database=settings.neo4j_database) as session:
            session.execute_write(lambda tx: tx.run(query, tenant=tenant, events=batch).consume())

    t0 = time.perf_counter()
    with cpu_used(settings) as cpu, ThreadPoolExecutor(args.workers) as pool:
        list(pool.map(write, chunks(rows, args.batch_size)))
    seconds = time.perf_counter() - t0
    print(f"bare append (same query, journeys given, nothing resolved or recomputed): "
          f"{len(rows):,} events in {seconds:.1f} s = {len(rows) / seconds:,.0f} events/s\n"
          f"  {cpu_per_1k(cpu, len(rows))}")
    return {"seconds": seconds, "events_per_s": len(rows) / seconds, "cpu_s": cpu}


def _single_events(settings: Settings, driver, tenant: str, sample, count: int) -> dict:
    """POST /v1/events one at a time for known people; time to the profile showing it."""
    key = create_api_key(driver, settings.neo4j_database, tenant, "service")
    rng = random.Random(3)
    touches = [e for e in sample.events if e["kind"] == "touch"]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    post_times, visible_times = [], []
    with api_server() as url:
        with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=30) as http:
            for i in range(count + 50):  # the first 50 warm up
                base = row_to_event(rng.choice(touches))
                body = {**base, "event_id": f"single-{i}", "channel": "sms",
                        "ts": (start + timedelta(minutes=i)).isoformat()}
                body.pop("uplift", None)
                t0 = time.perf_counter()
                resp = http.post("/v1/events", json=body)
                t1 = time.perf_counter()
                assert resp.status_code == 200, resp.text
                out = resp.json()
                touched = out["profile"]["total_touches"]
                profile = http.get(f"/v1/identities/{out['identity_id']}/profile").json()
                t2 = time.perf_counter()
                assert profile["total_touches"] == touched, (profile, touched)
                assert profile["last_event_at"].startswith(body["ts"][:16]), profile
                if i >= 50:
                    post_times.append(t1 - t0)
                    visible_times.append(t2 - t0)
    post, seen = percentiles_ms(post_times), percentiles_ms(visible_times)
    print(f"event -> profile: POST /v1/events p50 {post['p50_ms']:.1f} ms, p99 "
          f"{post['p99_ms']:.1f} ms; until a GET shows it p50 {seen['p50_ms']:.1f} ms, "
          f"p99 {seen['p99_ms']:.1f} ms (target p99 <= 50 ms)")
    return {"single_event_post": post, "single_event_visible": seen}


def _targeting(settings: Settings, driver, profiles: BehavioralProfileService, tenant: str,
               pages: int) -> dict:
    """First pages of the targeting query over HTTP and through the service."""
    storm = profiles.target(tenant, TargetQuery(limit=1))["items"][0]["storms"][0]
    queries = {"min_ltv_50000": {"min_ltv": 50_000},
               "segment_customer": {"segment": "customer"},
               "storm": {"storm_id": storm},
               "all": {}}
    key = create_api_key(driver, settings.neo4j_database, tenant, "service")
    figures: dict = {}
    with api_server() as url:
        with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=30) as http:
            for name, params in queries.items():
                def call(params=params) -> None:
                    resp = http.get("/v1/identities", params={**params, "limit": 50})
                    assert resp.status_code == 200, resp.text
                _timed(call, 20)
                http_ms = percentiles_ms(_timed(call, pages))
                query = TargetQuery(limit=50, **params)
                direct_ms = percentiles_ms(_timed(lambda q=query: profiles.target(tenant, q),
                                                  pages))
                found = len(profiles.target(tenant, query)["items"])
                figures[f"target_{name}"] = {"http": http_ms, "service": direct_ms,
                                             "first_page_items": found}
                print(f"targeting {name}: first page ({found} items) over HTTP p50 "
                      f"{http_ms['p50_ms']:.1f} ms, p99 {http_ms['p99_ms']:.1f} ms; service "
                      f"p50 {direct_ms['p50_ms']:.1f} ms (target <= 50 ms)")
    return figures


if __name__ == "__main__":
    main()
