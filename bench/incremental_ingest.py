"""Incremental ingest: a small batch into a large tenant, against ingesting the tenant afresh.

For each tenant size N (`--sizes`), with sample rows of seed 11 (the batches hold further
records of people already in the tenant, as a contractor's next file does):

1. from scratch: N rows into a new tenant through `Ingest.run` (train, store, predict,
   cluster, write) — what re-ingesting the tenant costs;
2. incremental: `--new` further rows through `Ingest.run`, which compares them with their
   neighbourhood in the graph only;
3. full: another `--new` rows with `full=True`, the path that predicts over every record
   of the tenant (how a small file was ingested before), on the same tenant (`--no-full`
   leaves it out: at 1M it costs about as much as the tenant from scratch).

The peak memory of this process (which runs the matcher) is printed at the end.

Prints wall time per stage, records compared, and the ratios from-scratch / incremental
(target >= 20x at 1M records) and full / incremental, plus how each time grows with N
(the exponent of a power-law fit over the sizes run). Run with Neo4j up:
`python bench/incremental_ingest.py [--sizes 25000,50000,100000] [--new 1000]`. The tenants
are deleted at the end.

Measured on a shared 2-core machine (load average 20-29, Neo4j at 1 GB heap), sizes 5k, 10k,
20k: from scratch 233 / 341 / 412 s (training is a constant ~100-130 s of it at these sizes),
incremental 73 / 73 / 95 s comparing 2,966 / 3,734 / 4,361 records, full 76 / 118 / 167 s;
ratios 3.2x / 4.6x / 4.3x. Time ~ size^b: incremental b = 0.19, from scratch 0.41, full 0.57.
"""

from __future__ import annotations

import argparse
import math
import resource
import tempfile
import time
import uuid
from typing import Any

from _common import save

from stormops.core.settings import Settings
from stormops.graph import apply_schema, delete_tenant, open_driver
from stormops.graph.records import RecordGraph
from stormops.matching.ingest import Ingest, IngestReport
from stormops.matching.normalize import RECORD_COLUMNS, normalize_records
from stormops.matching.store import ModelStore
from stormops.samples.homeowners import CANONICAL_COLUMNS, generate_records

TARGET_RATIO = 20.0


def _timed(ingest: Ingest, tenant: str, rows: list[dict[str, str]], region: str,
           **options: Any) -> dict[str, Any]:
    """Normalize and ingest rows; wall time, stages and counts."""
    t0 = time.perf_counter()
    report: IngestReport = ingest.run(tenant, normalize_records(rows, region=region), **options)
    return {"seconds": time.perf_counter() - t0, "stages": report.seconds,
            "compared": report.compared, "new_records": report.new_records,
            "identities_created": report.identities_created, "merges": report.merges,
            "reviews": report.reviews, "trained": report.trained}


def _size(driver: Any, database: str, graph: RecordGraph, size: int, new: int,
          region: str, keep: bool, with_full: bool, models: str | None) -> dict[str, Any]:
    """From scratch, incremental and (`with_full`) full runs at one tenant size."""
    rows = [{column: row[column] for column in CANONICAL_COLUMNS}
            for row in generate_records(size + 2 * new, seed=11)]
    tenant = f"bench-{uuid.uuid4().hex[:8]}"
    print(f"tenant {tenant}: {size:,} records, then {new:,} new", flush=True)
    with tempfile.TemporaryDirectory() as scratch_dir:
        ingest = Ingest(graph, ModelStore(models or scratch_dir))
        try:
            scratch = _timed(ingest, tenant, rows[:size], region)
            incremental = _timed(ingest, tenant, rows[size:size + new], region)
            full = _timed(ingest, tenant, rows[size + new:], region, full=True) \
                if with_full else None
        finally:
            if not keep:
                delete_tenant(driver, database, tenant)
    return {"size": size, "new": new, "scratch": scratch, "incremental": incremental,
            "full": full, "ratio_scratch": scratch["seconds"] / incremental["seconds"],
            "ratio_full": full["seconds"] / incremental["seconds"] if full else None}


def _stages(run: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in run["stages"].items())


def _growth(sizes: list[int], seconds: list[float]) -> float | None:
    """Exponent b of seconds ~ a * size^b, least squares in log-log (None for one size)."""
    if len(sizes) < 2:
        return None
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return (sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
            / sum((x - mx) ** 2 for x in xs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000",
                        help="tenant sizes, comma separated (default 100000)")
    parser.add_argument("--new", type=int, default=1_000, help="records per new batch")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark tenants' data")
    parser.add_argument("--models", help="folder for the tenants' matching models (with "
                        "--keep, to ingest more into a kept tenant later; default: temporary)")
    parser.add_argument("--no-full", action="store_true",
                        help="leave out the full run (as costly as from scratch at 1M)")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    if min(sizes) < 1_000 or args.new < 1:
        parser.error("sizes must be >= 1000 (a tenant trains its model at 1,000) and --new >= 1")

    settings = Settings()
    results = []
    with open_driver(settings) as driver:
        apply_schema(driver, settings.neo4j_database)
        graph = RecordGraph(driver, settings.neo4j_database, settings.phone_region,
                            columns=RECORD_COLUMNS)
        for size in sizes:
            found = _size(driver, settings.neo4j_database, graph, size, args.new,
                          settings.phone_region, args.keep, not args.no_full, args.models)
            results.append(found)
            print(f"{size:,} records from scratch: {found['scratch']['seconds']:.1f} s "
                  f"({_stages(found['scratch'])})")
            for name in ("incremental", "full"):
                run = found[name]
                if run is None:
                    continue
                print(f"  {args.new:,} new, {name}: {run['seconds']:.2f} s, "
                      f"{run['compared']:,} records compared ({_stages(run)}); "
                      f"{run['identities_created']:,} identities created, "
                      f"{run['merges']:,} merges")
            print(f"  from scratch / incremental = {found['ratio_scratch']:.1f}x "
                  f"(target >= {TARGET_RATIO:.0f}x at 1M)" + (
                      f"; full / incremental = {found['ratio_full']:.1f}x"
                      if found["full"] else ""))

    growth = {name: _growth(sizes, [r[name]["seconds"] for r in results])
              for name in ("scratch", "incremental", "full")
              if all(r[name] is not None for r in results)}
    if len(sizes) > 1:
        print("time ~ size^b: " + ", ".join(f"{name} b = {b:.2f}"
                                            for name, b in growth.items() if b is not None))
        b_scratch, b_incremental = growth.get("scratch"), growth.get("incremental")
        if b_scratch is not None and b_incremental is not None:
            last = results[-1]
            projected = last["ratio_scratch"] * (1_000_000 / sizes[-1]) ** (
                b_scratch - b_incremental)
            print(f"ratio projected to 1M records along these exponents: {projected:.0f}x")
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    print(f"peak memory of this process: {peak_gb:.2f} GB (target <= 4 GB at 1M)")
    saved = save("incremental_ingest", {"sizes": results, "growth": growth, "peak_gb": peak_gb})
    print(f"saved {saved}")


if __name__ == "__main__":
    main()
