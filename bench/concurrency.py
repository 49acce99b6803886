"""Concurrent record posts: 16 clients posting the same people at once to `POST /v1/records`.

Each round, every client posts its own record of the same person at the same moment (a
barrier releases them together), on the model path (the tenant has a matching model) and on
the exact path (no model). Figures: p50/p99 latency under that load next to a sequential
baseline of the same posts in the same run (ratio), non-200 answers by status, and people
who ended with more than one active identity. Each path first runs the same concurrent
round once in a scratch tenant, printed apart: on a freshly started Neo4j its JVM compiles
the path's queries during that round (a p99 of 0.76 s where the next rounds' are 0.06-0.13 s), and
the target is the service's steady state. A tenant's first post loads its model into
the service (the model is saved just before): it is timed apart and printed.

The store holds a resident tenant while the rounds run (`--resident` records posted through the
same route first), as a service in use holds other tenants' data, and the query plans made
while it loaded are then cleared, so the rounds run on plans made for a store with data in it.
On an otherwise empty store each round's tenant takes labels from empty to full and its
deletion back to empty; Neo4j counts that as a statistic changed beyond any threshold and
replans the path's queries when next used a minute later, which can land inside a round
(30-320 ms a query; see docs/scaling.md): that measures an empty store's planner, not the
service. `--resident 0` measures that case. Targets:
0 duplicates, 0 conflicts (409), p99 <= 100 ms on the model path with 16 clients.

The machine is shared (2 cores, other engineers' servers and tests): the ratio to the
baseline measured in the same run is the figure to read, not the absolute times.
"""

from __future__ import annotations

import argparse
import shutil
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
from _common import api_server, clear_plans, percentiles_ms, save
from neo4j import Driver

from stormops.core.heap import settle_heap
from stormops.core.settings import Settings
from stormops.graph import apply_schema, delete_tenant, open_driver
from stormops.graph.api_keys import create_api_key
from stormops.matching.model import MatchingModel
from stormops.matching.normalize import normalize_records
from stormops.matching.store import ModelStore
from stormops.samples.homeowners import CANONICAL_COLUMNS, generate_records

_REACHED = """
MATCH (n:Identity {tenant_id: $tenant, status: 'active'})
RETURN count(n) AS identities
"""


def people(count: int) -> list[dict[str, str]]:
    """One record per person, each naming the person by an email or a national id."""
    chosen: dict[str, dict[str, str]] = {}
    for record in generate_records(count * 6, seed=23):
        if record["person_id"] in chosen or not (record["email"] or record["national_id"]):
            continue
        chosen[record["person_id"]] = {k: record[k] for k in CANONICAL_COLUMNS if record[k]}
        if len(chosen) == count:
            break
    return list(chosen.values())


def run(url: str, key: str, persons: list[dict[str, str]], clients: int,
        concurrent: bool) -> tuple[list[float], Counter]:
    """Post every person once per client: all clients together per person, or one by one."""
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(number: int) -> None:
        with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=60) as http:
            for pos, person in enumerate(persons):
                body = {**person, "record_id": f"p{pos}-c{number}"}
                if concurrent:
                    barrier.wait()
                start = time.perf_counter()
                status = http.post("/v1/records", json=body).status_code
                with lock:
                    latencies.append(time.perf_counter() - start)
                    statuses[status] += 1

    if concurrent:
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(client, range(clients)))
    else:
        for number in range(clients):
            client(number)
    return latencies, statuses


def resident(url: str, key: str, count: int, clients: int = 8) -> None:
    """Post `count` records of other people, `clients` at a time, into the resident tenant."""
    rows = [{k: r[k] for k in CANONICAL_COLUMNS if r[k]}
            for r in generate_records(count, seed=41)]

    def post(chunk: list[dict[str, str]]) -> None:
        with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=60) as http:
            for row in chunk:
                http.post("/v1/records", json=row).raise_for_status()

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(post, [rows[i::clients] for i in range(clients)]))


def first_post(url: str, key: str) -> float:
    """Seconds of the tenant's first post, which loads its new model into the service: timed
    apart, so the figures under load are those of a service that has met the model."""
    with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=60) as http:
        start = time.perf_counter()
        http.post("/v1/records", json={"record_id": "first", "first_name": "Wren",
                                       "email": "wren.first@example.org"}).raise_for_status()
        return time.perf_counter() - start


def duplicates(driver, database: str, tenant: str, posted: int) -> int:
    """Active identities beyond one per person posted (every person is distinct)."""
    records, _, _ = driver.execute_query(_REACHED, tenant=tenant, database_=database)
    return records[0]["identities"] - posted - 1  # the first post's person


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--people", type=int, default=64)
    parser.add_argument("--resident", type=int, default=2_000,
                        help="records of a tenant the store holds while the rounds run")
    args = parser.parse_args()
    settings = Settings()
    persons = people(args.people)
    model = MatchingModel()
    model.training.fit(normalize_records(generate_records(1_500, seed=9)).records)
    store = ModelStore(settings.model_dir)
    figures: dict = {"clients": args.clients, "people": len(persons), "resident": args.resident,
                     "posts": args.clients * len(persons), "machine": "shared, 2 cores"}
    with open_driver(settings) as driver, api_server() as url:
        apply_schema(driver, settings.neo4j_database)
        home = f"bench-conc-resident-{uuid.uuid4().hex[:8]}"
        try:
            if args.resident:
                store.save(home, model)
                started = time.perf_counter()
                resident(url, create_api_key(driver, settings.neo4j_database, home, "service"),
                         args.resident)
                print(f"resident tenant: {args.resident} records posted in "
                      f"{time.perf_counter() - started:.0f} s", flush=True)
                clear_plans(driver, settings.neo4j_database)
            settle_heap()  # else the bench's own full collections stall every client thread
            rounds(driver, settings, store, model, url, persons, args, figures)
        finally:
            delete_tenant(driver, settings.neo4j_database, home)
            shutil.rmtree(store.folder(home), ignore_errors=True)
    print(f"written to {save('concurrency', figures)} (shared machine: read the ratios)")


def rounds(driver: Driver, settings: Settings, store: ModelStore, model: MatchingModel, url: str,
           persons: list[dict[str, str]], args: argparse.Namespace, figures: dict) -> None:
    """Each path's warm-up, sequential and concurrent rounds, each in a tenant of its own."""
    for path in ("model", "exact"):
        result = {}
        for mode in ("warm-up", "sequential", "concurrent"):
            tenant = f"bench-conc-{uuid.uuid4().hex[:8]}"
            key = create_api_key(driver, settings.neo4j_database, tenant, "service")
            if path == "model":
                store.save(tenant, model)
            try:
                first = first_post(url, key)
                latencies, statuses = run(url, key, persons, args.clients,
                                          mode != "sequential")
                result[mode] = {**percentiles_ms(latencies), "statuses": dict(statuses),
                                "first_post_ms": first * 1000,
                                "duplicates": duplicates(driver, settings.neo4j_database,
                                                         tenant, len(persons))}
            finally:
                delete_tenant(driver, settings.neo4j_database, tenant)
                shutil.rmtree(store.folder(tenant), ignore_errors=True)
        result["p99_ratio"] = result["concurrent"]["p99_ms"] / result["sequential"]["p99_ms"]
        figures[path] = result
        print(f"{path:5} path, {args.clients} clients x {len(persons)} people: "
              f"p50 {result['concurrent']['p50_ms']:.1f} ms, "
              f"p99 {result['concurrent']['p99_ms']:.1f} ms "
              f"({result['p99_ratio']:.2f}x the sequential p99 of "
              f"{result['sequential']['p99_ms']:.1f} ms); statuses "
              f"{result['concurrent']['statuses']}; people with duplicate identities "
              f"{result['concurrent']['duplicates']}; the tenant's first post "
              f"{result['concurrent']['first_post_ms']:.0f} ms (the warm-up round: p99 "
              f"{result['warm-up']['p99_ms']:.1f} ms, duplicates "
              f"{result['warm-up']['duplicates']})", flush=True)


if __name__ == "__main__":
    main()
