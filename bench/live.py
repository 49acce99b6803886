"""Live attribution: sustained events/s through one consumer, and produced -> visible latency.

0. Warm-up: a slice of the events through both paths into scratch tenants (a fresh server
   runs its first queries of each shape slowly until the JVM has compiled them; a consumer
   that has run for a minute is past that), so stages 1-3 compare warm paths. Those tenants
   stay while the stages run, as a store in use holds other tenants' data; the plans made
   while they loaded (on a nearly empty store) are then cleared and a second, smaller slice
   goes through both paths, so the stages run on plans made for a store with data in it. A
   plan made on an empty store is replanned a minute later, whenever that lands, once its
   labels have filled (30-320 ms a query; see docs/scaling.md).
1. Baseline, in the same process: the project's bulk load (`JourneyGraph.load_events`, what
   `stormops events load` runs) of the sample's events into a fresh tenant; events/s.
2. Stream: the same events published to a fresh topic, then one `LiveConsumer` (what
   `stormops live run` runs) takes them into another fresh tenant: resolved, appended,
   journeys and profiles recomputed, live attribution updated, offsets committed. Events/s
   from its first batch to its last commit, and the ratio to the bulk load.
3. Latency: the consumer runs in a thread while events of one storm are produced at
   `--rate` events/s for `--seconds`; `get_live_dashboard` is polled every 20 ms. An event
   is visible when the dashboard's event count reaches the number produced up to it (counts
   only grow). p50/p99 of produced -> visible.

Targets (2 cores): stream >= 3,000 events/s and >= 0.8x the bulk load; p99 <= 1 s at
1,000 events/s. The machine may be shared: the load average is printed with the figures, and
the CPU seconds per 1,000 events of stages 1-2 (Neo4j's and this process's), which the other
load skews much less than wall time.
Run with Neo4j and Kafka up: `python bench/live.py`. Tenants and topics are left for
inspection with --keep, else the tenants are deleted.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
import uuid

from _common import clear_plans, cpu_per_1k, cpu_used, percentiles_ms, save

from stormops.attribution.live_stream import LiveConsumer
from stormops.core.events import row_to_event
from stormops.core.heap import settle_heap
from stormops.core.settings import Settings
from stormops.graph import apply_schema, delete_tenant, open_driver
from stormops.graph.journeys import JourneyGraph
from stormops.samples.journeys import generate_journeys
from stormops.services import Services
from stormops.stream import EventPublisher, ensure_topics

EVENTS_PER_RECORD = 2.7
WARM_EVENTS = 4_000


def _streams(base: Settings, label: str) -> Settings:
    suffix = f"{label}.{uuid.uuid4().hex[:8]}"
    settings = base.model_copy(update={"events_topic": f"bench.events.{suffix}",
                                       "dead_letter_topic": f"bench.dead.{suffix}",
                                       "live_group": f"bench-{suffix}"})
    ensure_topics(settings.kafka_bootstrap, {settings.events_topic: settings.events_partitions,
                                             settings.dead_letter_topic: 1})
    return settings


class _Timed(LiveConsumer):
    """A LiveConsumer that notes when its first batch started and its last one ended."""

    first: float | None = None
    last: float = 0.0
    handled: int = 0

    def handle(self, envelopes):
        self.first = self.first or time.perf_counter()
        refused = super().handle(envelopes)
        self.handled += len(envelopes)
        self.last = time.perf_counter()
        return refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=20_000, help="events for stages 1-2")
    parser.add_argument("--rate", type=float, default=1_000.0, help="events/s in stage 3")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of stage 3")
    parser.add_argument("--max-batch", type=int, default=5_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark tenants")
    args = parser.parse_args()

    base = Settings()
    driver = open_driver(base)
    apply_schema(driver, base.neo4j_database)
    journeys = JourneyGraph(driver, base.neo4j_database, base.phone_region)
    sample = generate_journeys(max(10, int(args.events / EVENTS_PER_RECORD)), seed=23)
    events = [row_to_event(e) for e in sample.events][:args.events]
    run = uuid.uuid4().hex[:6]
    tenants = {stage: f"bench-live-{stage}-{run}" for stage in (
        "warm-bulk", "warm-stream", "replan-bulk", "replan-stream", "bulk", "stream",
        "latency")}
    figures: dict = {"events": len(events), "load_average_before": os.getloadavg()}
    settle_heap()  # as `stormops live run` does before its first batch
    try:
        # 0. Warm-up of both paths, then again on plans made for a store with data.
        for stage, warm in (("warm", events[:WARM_EVENTS]),
                            ("replan", events[WARM_EVENTS:WARM_EVENTS + WARM_EVENTS // 2])):
            if stage == "replan":
                clear_plans(driver, base.neo4j_database)
            journeys.upsert_storms(tenants[f"{stage}-bulk"], sample.storms)
            journeys.load_events(tenants[f"{stage}-bulk"], warm)
            journeys.upsert_storms(tenants[f"{stage}-stream"], sample.storms)
            warm_live = Services(base, driver=driver).live(tenants[f"{stage}-stream"])
            for start in range(0, len(warm), args.max_batch // 2):
                warm_live.process_events(warm[start:start + args.max_batch // 2])

        # 1. The bulk load, the baseline.
        journeys.upsert_storms(tenants["bulk"], sample.storms)
        t0 = time.perf_counter()
        with cpu_used(base) as bulk_cpu:
            loaded = journeys.load_events(tenants["bulk"], events)
        bulk_rate = loaded.recorded / (time.perf_counter() - t0)

        # 2. The same events through the stream and one consumer.
        settings = _streams(base, "stream")
        journeys.upsert_storms(tenants["stream"], sample.storms)
        with EventPublisher(settings.kafka_bootstrap, settings.events_topic,
                            linger_ms=5) as publisher:
            publisher.publish(tenants["stream"], events, timeout=120)
        services = Services(settings, driver=driver)
        consumer = _Timed(settings, services.live, services.live_store, "bench", args.max_batch)
        with cpu_used(base) as stream_cpu:  # includes the consumer's idle wait at the end
            consumer.run(idle_exit=5.0)
        stream_rate = consumer.handled / (consumer.last - consumer.first)

        # 3. Produced -> visible at a fixed rate, one storm.
        storm = max(sample.storms, key=lambda s: sum(e["storm_id"] == s["storm_id"]
                                                     for e in events))["storm_id"]
        settings = _streams(base, "latency")
        tenant = tenants["latency"]
        journeys.upsert_storms(tenant, sample.storms)
        pool = [e for e in events if e["storm_id"] == storm]
        total = int(args.rate * args.seconds)
        paced = [{**pool[i % len(pool)], "event_id": f"{pool[i % len(pool)]['event_id']}-"
                  f"{i // len(pool)}"} for i in range(total)]
        stop = threading.Event()
        services = Services(settings, driver=driver)
        live_consumer = LiveConsumer(settings, services.live, services.live_store, "latency",
                                     args.max_batch)
        worker = threading.Thread(target=live_consumer.run, args=(stop.is_set,), daemon=True)
        worker.start()
        time.sleep(5)  # joined the group
        live = Services(base, driver=driver).live(tenant)
        produced: list[float] = []

        def produce() -> None:
            with EventPublisher(settings.kafka_bootstrap, settings.events_topic) as publisher:
                start = time.perf_counter()
                for i, event in enumerate(paced):
                    ahead = start + i / args.rate - time.perf_counter()
                    if ahead > 0:
                        time.sleep(ahead)
                    publisher.send(tenant, event)
                    produced.append(time.perf_counter())

        producer = threading.Thread(target=produce)
        producer.start()
        seen: list[tuple[float, int]] = []
        deadline = time.perf_counter() + args.seconds + 120
        while time.perf_counter() < deadline:
            try:
                count = live.get_live_dashboard(storm)["events"]
            except Exception:  # before the first batch lands
                count = 0
            seen.append((time.perf_counter(), count))
            if count >= total:
                break
            time.sleep(0.02)
        producer.join()
        stop.set()
        worker.join(60)
        latencies, k = [], 0
        for i, sent in enumerate(produced):
            while k < len(seen) and seen[k][1] < i + 1:
                k += 1
            if k == len(seen):
                break
            latencies.append(max(seen[k][0] - sent, 0.0))
        figures.update({
            "bulk_events_per_s": bulk_rate, "stream_events_per_s": stream_rate,
            "stream_over_bulk": stream_rate / bulk_rate,
            "bulk_cpu_s": bulk_cpu, "stream_cpu_s": stream_cpu,
            "latency_rate": args.rate, "latency_events": total,
            "latency_visible": len(latencies), **{f"visible_{k}": v for k, v in
                                                  percentiles_ms(latencies or [0.0]).items()},
            "load_average_after": os.getloadavg()})
    finally:
        if not args.keep:
            for tenant in tenants.values():
                delete_tenant(driver, base.neo4j_database, tenant)
        driver.close()
    print(f"events: {figures['events']:,}; load average before {figures['load_average_before']}"
          f", after {figures['load_average_after']} (2 cores, shared)")
    print(f"bulk load (baseline):  {figures['bulk_events_per_s']:8,.0f} events/s")
    print(f"one live consumer:     {figures['stream_events_per_s']:8,.0f} events/s  "
          f"= {figures['stream_over_bulk']:.2f}x bulk (target >= 0.8x and >= 3,000/s)")
    print(f"  bulk load {cpu_per_1k(figures['bulk_cpu_s'], figures['events'])}")
    print(f"  live consumer {cpu_per_1k(figures['stream_cpu_s'], figures['events'])}")
    print(f"produced -> visible at {args.rate:,.0f}/s: p50 {figures['visible_p50_ms']:,.0f} ms, "
          f"p99 {figures['visible_p99_ms']:,.0f} ms over {figures['latency_visible']:,} of "
          f"{total:,} events (target p99 <= 1,000 ms)")
    print(f"results: {save('live', figures)}")


if __name__ == "__main__":
    main()
