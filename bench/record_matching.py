"""Matching into the graph: batch ingest of a file, online link_record latency, 1M rows.

1. Batch: `--rows` sample rows (seed 11) normalized and fed to `Ingest.run` on a new tenant
   (train, store, predict, cluster, write). Wall time per stage, peak RSS of this process, and
   the identities scored against the sample's truth (cluster P/R/F1, link rate, FP link rate).
2. Online: with that tenant in the graph, `--online` fresh records (another seed, ids "O...")
   linked one by one with `RecordLinker.link_record`. Each call is followed by a raw driver
   round trip doing an indexed Record lookup on an existing key, so the latency reads as a
   multiple of the cheapest thing the graph can do from this process.
3. `--million`: a separate tenant, 1M rows through the same batch path: time and peak memory.

Targets (2 cores, Neo4j on the same machine): batch of 200k rows <= 2 min; link_record
p50 <= 10 ms and p99 <= 50 ms with ~100k identities; 1M rows <= 10 min, peak memory <= 4 GB.
Run with Neo4j up: `python bench/record_matching.py [--million]`. The tenants are deleted at
the end.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from _common import percentiles_ms, save

from stormops.core.settings import Settings
from stormops.graph import apply_schema, delete_tenant, open_driver
from stormops.graph.records import RecordGraph, record_key
from stormops.matching.evaluate import cluster_metrics, false_positive_link_rate, link_rate
from stormops.matching.ingest import Ingest, RecordLinker
from stormops.matching.normalize import RECORD_COLUMNS, normalize_records
from stormops.matching.store import ModelStore
from stormops.samples.homeowners import CANONICAL_COLUMNS, generate_records

BATCH_TARGET_S = 120.0
MILLION_TARGET_S = 600.0
MILLION_TARGET_GB = 4.0
LINK_P50_MS, LINK_P99_MS = 10.0, 50.0
WARMUP = 50
RAW_LOOKUP = "MATCH (r:Record {key: $key}) RETURN r.record_id AS record_id"
CROSS_LINKS = """
MATCH (o:Record {tenant_id: $tenant})-[:LINK]->(:Identity)<-[:LINK]-(r:Record)
WHERE o.record_id STARTS WITH 'O' AND NOT r.record_id STARTS WITH 'O'
RETURN count(DISTINCT o) AS n"""


def _canonical(rows: list[dict[str, str]]) -> Iterator[dict[str, str]]:
    """The raw rows without the truth columns, releasing each sample row as it is read, so
    the generated rows and the normalized batch are not both held in full."""
    for i, row in enumerate(rows):
        rows[i] = None  # type: ignore[call-overload]
        yield {column: row[column] for column in CANONICAL_COLUMNS}


def _reset_peak() -> None:
    """Reset the kernel's RSS high-water mark (Linux >= 4.0), so a stage's peak excludes
    sample generation; without it the peak is the process's lifetime peak."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _peak_gb() -> float:
    """Peak RSS since the last `_reset_peak` (VmHWM), else ru_maxrss (KiB on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e9
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9


def _batch(graph: RecordGraph, models: ModelStore, tenant: str, rows: int,
           region: str) -> dict[str, Any]:
    """Generate, normalize and ingest `rows` sample rows; time, memory and quality."""
    t0 = time.perf_counter()
    raw = generate_records(rows, seed=11)
    truth = {r["record_id"]: r["person_id"] for r in raw}
    generate_s = time.perf_counter() - t0
    gc.collect()
    _reset_peak()
    t0 = time.perf_counter()
    batch = normalize_records(_canonical(raw), region=region)
    del raw
    normalize_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = Ingest(graph, models).run(tenant, batch)
    ingest_s = time.perf_counter() - t0
    peak_gb = _peak_gb()
    del batch
    predicted = dict(graph.export(tenant))
    ids = list(truth)
    labels = [predicted.get(rid) or f"unlinked:{rid}" for rid in ids]
    people = [truth[rid] for rid in ids]
    cluster = cluster_metrics(people, labels)
    return {
        "rows": rows, "generate_seconds": generate_s, "normalize_seconds": normalize_s,
        "ingest_seconds": ingest_s, "total_seconds": normalize_s + ingest_s,
        "stage_seconds": report.seconds, "peak_rss_gb": peak_gb,
        "max_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9,
        "new_records": report.new_records, "identities_created": report.identities_created,
        "merges": report.merges, "reviews": report.reviews, "problems": len(report.problems),
        "unlinked": sum(1 for rid in ids if predicted.get(rid) is None),
        "model_version": report.model_version,
        "cluster": {"precision": cluster.precision, "recall": cluster.recall, "f1": cluster.f1},
        "link_rate": link_rate(people, labels),
        "false_positive_link_rate": false_positive_link_rate(people, labels),
        "record_ids": ids,
    }


def _print_batch(name: str, f: dict[str, Any], target: str) -> None:
    stages = ", ".join(f"{k} {v:.1f}" for k, v in f["stage_seconds"].items())
    c = f["cluster"]
    print(f"{name}: {f['rows']:,} rows in {f['total_seconds']:.1f} s "
          f"(normalize {f['normalize_seconds']:.1f} + Ingest.run {f['ingest_seconds']:.1f}: "
          f"{stages}) = {f['rows'] / f['total_seconds']:,.0f} rows/s ({target}); "
          f"generation {f['generate_seconds']:.1f} s not counted")
    print(f"  peak RSS during ingest {f['peak_rss_gb']:.2f} GB (process max "
          f"{f['max_rss_gb']:.2f} GB); {f['identities_created']:,} identities, "
          f"{f['merges']:,} merges, {f['reviews']:,} review items, {f['unlinked']} unlinked")
    print(f"  quality: cluster P {c['precision']:.4f} R {c['recall']:.4f} F1 {c['f1']:.4f}, "
          f"link rate {f['link_rate']:.4f}, FP link rate {f['false_positive_link_rate']:.5f}")


def _online(driver: Any, database: str, graph: RecordGraph, models: ModelStore, tenant: str,
            record_ids: list[str], count: int) -> dict[str, Any]:
    """link_record one fresh record at a time, each followed by a raw indexed lookup."""
    linker = RecordLinker(graph, models)
    fresh = [{column: row[column] for column in CANONICAL_COLUMNS}
             for row in generate_records(count + WARMUP, seed=12)]
    for row in fresh:  # the sample numbers ids and properties from 1 in every generation
        row["record_id"] = "O" + row["record_id"]
        row["property_id"] = row["property_id"] and "O" + row["property_id"]
    rng = random.Random(3)
    keys = [record_key(tenant, rng.choice(record_ids)) for _ in fresh]

    def raw_lookup(key: str) -> None:
        records, _, _ = driver.execute_query(RAW_LOOKUP, key=key, database_=database)
        assert records, key

    ours, raw = [], []
    outcomes: Counter[str] = Counter()
    for i, (row, key) in enumerate(zip(fresh, keys, strict=True)):
        t0 = time.perf_counter()
        linked = linker.link_record(tenant, row)
        t1 = time.perf_counter()
        raw_lookup(key)
        t2 = time.perf_counter()
        if i >= WARMUP:  # the first calls load the model, compile the scorer, plan queries
            ours.append(t1 - t0)
            raw.append(t2 - t1)
            outcomes[linked.outcome] += 1
    # Fresh records are other people than the batch's: any that joined a batch identity is a
    # false link (up to a chance collision of the sample's random identifiers).
    cross, _, _ = driver.execute_query(CROSS_LINKS, tenant=tenant, database_=database)
    figures = {"link_record": percentiles_ms(ours), "raw_lookup": percentiles_ms(raw),
               "outcomes": dict(outcomes), "joined_batch_identity": cross[0]["n"]}
    for p in ("p50", "p99"):
        figures[f"link_vs_raw_{p}"] = (figures["link_record"][f"{p}_ms"]
                                       / figures["raw_lookup"][f"{p}_ms"])
    return figures


def _print_online(f: dict[str, Any], identities: int) -> None:
    o, r = f["link_record"], f["raw_lookup"]
    print(f"online: {o['n']:,} link_record calls against {identities:,} identities; outcomes "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(f["outcomes"].items()))
          + f"; {f['joined_batch_identity']} joined a batch identity (other people)")
    print(f"  link_record p50 = {o['p50_ms']:.2f} ms = {f['link_vs_raw_p50']:.1f} x raw lookup "
          f"(target <= {LINK_P50_MS:.0f} ms); p99 = {o['p99_ms']:.2f} ms = "
          f"{f['link_vs_raw_p99']:.1f} x raw (target <= {LINK_P99_MS:.0f} ms); "
          f"mean {o['mean_ms']:.2f} ms")
    print(f"  raw indexed lookup (driver.execute_query): p50 {r['p50_ms']:.2f} ms, "
          f"p99 {r['p99_ms']:.2f} ms, mean {r['mean_ms']:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=200_000, help="batch sample rows")
    parser.add_argument("--online", type=int, default=2_000, help="records linked one by one")
    parser.add_argument("--million", action="store_true", help="also run the 1M-row stage")
    parser.add_argument("--million-rows", type=int, default=1_000_000,
                        help="rows of the --million stage")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark tenants' data")
    args = parser.parse_args()
    if min(args.rows, args.online, args.million_rows) < 1:
        parser.error("--rows, --online and --million-rows must be >= 1")

    settings = Settings()
    database = settings.neo4j_database
    figures: dict[str, Any] = {}
    checks: list[tuple[str, float, float, str]] = []  # (figure, value, target, unit)
    with open_driver(settings) as driver, tempfile.TemporaryDirectory() as model_dir:
        apply_schema(driver, database)
        graph = RecordGraph(driver, database, settings.phone_region, columns=RECORD_COLUMNS)
        models = ModelStore(model_dir)

        tenant = f"bench-{uuid.uuid4().hex[:8]}"
        print(f"tenant {tenant}")
        try:
            batch = _batch(graph, models, tenant, args.rows, settings.phone_region)
            record_ids = batch.pop("record_ids")
            _print_batch("batch", batch, f"target {BATCH_TARGET_S:.0f} s at 200k rows")
            online = _online(driver, database, graph, models, tenant, record_ids, args.online)
            _print_online(online, batch["identities_created"])
        finally:
            if not args.keep:
                delete_tenant(driver, database, tenant)
        figures.update(batch=batch, online=online)
        checks += [(f"batch {args.rows:,} rows (s)", batch["total_seconds"], BATCH_TARGET_S, ""),
                   ("link_record p50 (ms)", online["link_record"]["p50_ms"], LINK_P50_MS,
                    f"{online['link_vs_raw_p50']:.1f}x raw"),
                   ("link_record p99 (ms)", online["link_record"]["p99_ms"], LINK_P99_MS,
                    f"{online['link_vs_raw_p99']:.1f}x raw")]

        if args.million:
            tenant = f"bench-{uuid.uuid4().hex[:8]}"
            print(f"tenant {tenant}")
            try:
                million = _batch(graph, models, tenant, args.million_rows,
                                 settings.phone_region)
                del million["record_ids"]
                _print_batch("million", million, f"target {MILLION_TARGET_S:.0f} s at 1M rows")
            finally:
                if not args.keep:
                    delete_tenant(driver, database, tenant)
            figures["million"] = million
            checks += [(f"batch {args.million_rows:,} rows (s)", million["total_seconds"],
                        MILLION_TARGET_S, ""),
                       ("  peak RSS (GB)", million["peak_rss_gb"], MILLION_TARGET_GB, "")]

    print(f"\n{'figure':28} {'value':>9} {'target':>8}  ok")
    for name, value, target, note in checks:
        print(f"{name:28} {value:9.2f} {target:8.1f}  {'yes' if value <= target else 'NO '}"
              f"  {note}")
    print(f"saved {save('matching', figures)}")


if __name__ == "__main__":
    main()
