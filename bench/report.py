"""Time of a storm's incrementality report over many journeys (target: 100k in <= 5 s).

Loads one touch per property (and a conversion for some) for N properties in one storm,
runs a holdout and a door-knock channel holdout over them, then times `generate_report`.
The tenant is deleted at the end.
"""

from __future__ import annotations

import argparse
import time
import uuid

from _common import save

from stormops.core.settings import Settings
from stormops.experiments.platform import ExperimentsPlatform
from stormops.experiments.reporting import IncrementalityReporter, render_html
from stormops.graph import apply_schema, delete_tenant, open_driver
from stormops.graph.experiments import ExperimentStore
from stormops.graph.journeys import JourneyGraph
from stormops.graph.storms import StormStore

STORM = "S-BENCH"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--journeys", type=int, default=100_000)
    args = parser.parse_args()
    settings = Settings()
    tenant = f"bench-report-{uuid.uuid4().hex[:8]}"
    props = [{"property_id": f"P{i}", "zip": f"75{i % 300:03d}"} for i in range(args.journeys)]
    with open_driver(settings) as driver:
        apply_schema(driver, settings.neo4j_database)
        try:
            platform = ExperimentsPlatform(
                tenant, store=ExperimentStore(driver, settings.neo4j_database),
                storms=StormStore(driver, settings.neo4j_database))
            for template, extra in (("holdout", {}), ("channel_holdout",
                                                      {"channel": "door_knock"})):
                exp = platform.create_experiment(template, {"name": template,
                                                            "storm_id": STORM, **extra})
                platform.assign_properties(exp, props)
            events = []
            for i, prop in enumerate(props):
                who = {"property_id": prop["property_id"], "email": f"u{i}@example.com"}
                events.append({"event_id": f"t{i}", "storm_id": STORM, "channel": "door_knock",
                               "ts": "2026-05-01T10:00:00", "identifiers": who})
                if i % 9 == 0:
                    events.append({"event_id": f"c{i}", "kind": "conversion", "storm_id": STORM,
                                   "ts": "2026-05-02T10:00:00", "revenue": 9_000.0,
                                   "identifiers": who})
            t0 = time.perf_counter()
            JourneyGraph(driver, settings.neo4j_database).load_events(tenant, events)
            load_s = time.perf_counter() - t0
            reporter = IncrementalityReporter(platform)
            t0 = time.perf_counter()
            report = reporter.generate_report(STORM)
            render_html(report)
            report_s = time.perf_counter() - t0
        finally:
            delete_tenant(driver, settings.neo4j_database, tenant)
    print(f"loaded {len(events):,} events for {args.journeys:,} journeys in {load_s:.1f} s")
    print(f"storm report over {args.journeys:,} journeys (2 experiments): {report_s:.2f} s "
          f"(target <= 5 s)")
    print(f"headline: {report['headline']}")
    print(f"saved {save('report', {'journeys': args.journeys, 'report_seconds': report_s})}")


if __name__ == "__main__":
    main()
