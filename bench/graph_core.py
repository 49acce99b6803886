"""Identity graph core: bulk link throughput, and resolve latency against a raw driver lookup.

Targets (2 cores): bulk >= 20,000 records/s; resolve p50 <= 1.5 ms and within 1.5x of the
raw driver doing the same indexed lookup. Run with Neo4j up: `python bench/graph_core.py`.
"""

from __future__ import annotations

import argparse
import random
import time
import uuid

from _common import percentiles_ms, save

from stormops.core.identifiers import IDENTITY_FIELDS
from stormops.core.settings import Settings
from stormops.cypher import cypher
from stormops.graph import IdentityGraph, apply_schema, delete_tenant, open_driver
from stormops.samples.homeowners import generate_records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=5_000)
    parser.add_argument("--batch-size", type=int, default=2_500)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark tenant's data")
    args = parser.parse_args()

    settings = Settings()
    tenant = f"bench-{uuid.uuid4().hex[:8]}"
    records = generate_records(args.rows, seed=11)
    rows = [{k: r[k] for k in IDENTITY_FIELDS if r[k]} for r in records]
    with open_driver(settings) as driver:
        apply_schema(driver, settings.neo4j_database)
        graph = IdentityGraph(driver, settings.neo4j_database)
        try:
            start = time.perf_counter()
            result = graph.link_properties(tenant, rows, args.batch_size)
            bulk_s = time.perf_counter() - start

            emails = sorted({r["email"] for r in rows if r.get("email")})
            rng = random.Random(3)
            sample = [rng.choice(emails) for _ in range(args.lookups)]
            for value in sample[:500]:  # warm caches and the query plan on both paths
                graph.resolve_identity(tenant, value, type="email")
            ours, raw = [], []
            query = cypher("identity/resolve_key")
            for value in sample:
                key = f"{tenant}|email|{value.strip().lower()}"
                t0 = time.perf_counter()
                graph.resolve_identity(tenant, value, type="email")
                t1 = time.perf_counter()
                with driver.session(database=settings.neo4j_database) as session:
                    session.execute_read(lambda tx, k=key: tx.run(query, key=k).single())
                t2 = time.perf_counter()
                ours.append(t1 - t0)
                raw.append(t2 - t1)
        finally:
            if not args.keep:
                delete_tenant(driver, settings.neo4j_database, tenant)

    figures = {
        "rows": args.rows,
        "bulk_seconds": bulk_s,
        "bulk_records_per_s": args.rows / bulk_s,
        "created": result.created, "linked": result.linked, "queued": result.queued,
        "rejected": len(result.rejected),
        "resolve": percentiles_ms(ours),
        "raw_driver": percentiles_ms(raw),
    }
    figures["resolve_vs_raw_p50"] = figures["resolve"]["p50_ms"] / figures["raw_driver"]["p50_ms"]
    figures["resolve_vs_raw_p99"] = figures["resolve"]["p99_ms"] / figures["raw_driver"]["p99_ms"]
    print(f"bulk link: {args.rows:,} records in {bulk_s:.1f} s = "
          f"{figures['bulk_records_per_s']:,.0f} records/s (target >= 20,000)")
    print(f"  created {result.created:,}, linked {result.linked:,}, queued {result.queued:,}, "
          f"rejected {len(result.rejected):,}")
    r, d = figures["resolve"], figures["raw_driver"]
    print(f"resolve_identity: p50 {r['p50_ms']:.3f} ms, p99 {r['p99_ms']:.3f} ms "
          f"(target p50 <= 1.5 ms)")
    print(f"raw driver:       p50 {d['p50_ms']:.3f} ms, p99 {d['p99_ms']:.3f} ms")
    print(f"ratio resolve/raw: p50 {figures['resolve_vs_raw_p50']:.2f}x, "
          f"p99 {figures['resolve_vs_raw_p99']:.2f}x (target <= 1.5x)")
    print(f"saved {save('graph_core', figures)}")


if __name__ == "__main__":
    main()
