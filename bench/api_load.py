"""Load on the HTTP API over loopback, against the raw driver doing the same lookups.

Loads N identities (default 100k) into a fresh tenant, starts `stormops serve`, then:
- /v1/resolve single and batch-of-100 under `wrk` (bounded by duration and connections),
- sequential latency of /v1/resolve next to the raw async driver's same indexed lookup,
- /v1/records (online link) latency, and a profile read of an identity with 50 identifiers.

Targets (2 cores, generator on the same machine): resolve single >= 1,000 req/s with
p99 <= 25 ms; batch of 100 p99 <= 30 ms; records p99 <= 60 ms; profile p99 <= 20 ms.
Needs `wrk` on PATH (Debian package `wrk`). The tenant is deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from _common import api_server, percentiles_ms, save
from neo4j import READ_ACCESS

from stormops.core.settings import Settings
from stormops.cypher import cypher
from stormops.graph import (
    IdentityGraph,
    apply_schema,
    delete_tenant,
    open_async_driver,
    open_driver,
)
from stormops.graph.api_keys import create_api_key

_LUA = """
local bodies = {}
for line in io.lines("%s") do bodies[#bodies + 1] = line end
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/v1/resolve",
    {["Content-Type"] = "application/json", ["X-API-Key"] = "%s"}, bodies[(n %% #bodies) + 1])
end
"""




def _to_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, key: str, bodies: list[str], seconds: int, connections: int,
            threads: int) -> dict:
    """Run wrk against /v1/resolve with the given bodies; parse throughput and percentiles."""
    with tempfile.TemporaryDirectory() as tmp:
        body_file = Path(tmp) / "bodies.txt"
        body_file.write_text("\n".join(bodies) + "\n")
        script = Path(tmp) / "resolve.lua"
        script.write_text(_LUA % (body_file, key))
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
             "-s", str(script), url], capture_output=True, text=True, timeout=seconds + 30,
        ).stdout
    pct = {p: _to_ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)$", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50_ms": pct["50"], "p99_ms": pct["99"],
            "non_2xx": int(errors.group(1)) if errors else 0, "connections": connections}


async def raw_driver_latency(settings: Settings, keys: list[str]) -> list[float]:
    """The same indexed lookup the API runs (auto-commit read), one at a time."""
    query = cypher("identity/resolve_key")
    times = []
    async with open_async_driver(settings) as driver:
        for key in keys:
            t0 = time.perf_counter()
            async with driver.session(database=settings.neo4j_database,
                                      default_access_mode=READ_ACCESS) as session:
                result = await session.run(query, key=key)
                await result.single()
            times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--identities", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=15, help="duration of each wrk run")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sequential", type=int, default=2_000)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench/api_load.py needs wrk: apt-get install wrk")

    settings = Settings()
    tenant = f"bench-api-{uuid.uuid4().hex[:8]}"
    rng = random.Random(5)
    emails = [f"user{i}@example.com" for i in range(args.identities)]
    rows = [{"email": e, "phone": f"+1214{2000000 + i:07d}", "property_id": f"P{i // 2}",
             "first_name": f"name{i}", "last_name": "bench"} for i, e in enumerate(emails)]
    with open_driver(settings) as driver:
        apply_schema(driver, settings.neo4j_database)
        graph = IdentityGraph(driver, settings.neo4j_database)
        t0 = time.perf_counter()
        graph.link_properties(tenant, rows)
        print(f"loaded {args.identities:,} identities in {time.perf_counter() - t0:.1f} s")
        wide = graph.link_property(tenant, None, {"email": "wide@example.com"})
        graph.link_properties(tenant, [{"email": "wide@example.com", "device_id": f"wide-{i}"}
                                       for i in range(49)])
        key = create_api_key(driver, settings.neo4j_database, tenant, "service")
        figures: dict = {"identities": args.identities, "workers": args.workers}
        try:
            with api_server(args.workers) as url:
                singles = [json.dumps({"type": "email", "value": rng.choice(emails)})
                           for _ in range(5_000)]
                batches = [json.dumps({"identifiers": [
                    {"type": "email", "value": rng.choice(emails)} for _ in range(100)]})
                    for _ in range(200)]
                run_wrk(url, key, singles, 5, args.connections, 1)  # warm-up after the load
                figures["resolve_single_wrk"] = run_wrk(url, key, singles, args.seconds,
                                                        args.connections, 1)
                figures["resolve_batch100_wrk"] = run_wrk(url, key, batches, args.seconds, 1, 1)

                sample = [rng.choice(emails) for _ in range(args.sequential)]
                api_times = []
                with httpx.Client(base_url=url, headers={"X-API-Key": key}) as http:
                    for email in sample:
                        t = time.perf_counter()
                        http.post("/v1/resolve", json={"type": "email", "value": email})
                        api_times.append(time.perf_counter() - t)
                    record_times = []
                    for i in range(min(args.sequential, 1_000)):
                        t = time.perf_counter()
                        resp = http.post("/v1/records", json={
                            "email": f"new{i}@example.com", "phone": f"+1469{3000000 + i:07d}",
                            "first_name": "new", "last_name": f"person{i}", "property_id": f"N{i}"})
                        record_times.append(time.perf_counter() - t)
                        assert resp.status_code == 200, resp.text
                    profile_times = []
                    for _ in range(500):
                        t = time.perf_counter()
                        resp = http.get(f"/v1/identities/{wide}")
                        profile_times.append(time.perf_counter() - t)
                    assert len(resp.json()["identifiers"]) == 50
                raw_times = asyncio.run(raw_driver_latency(
                    settings, [f"{tenant}|email|{e}" for e in sample]))
        finally:
            delete_tenant(driver, settings.neo4j_database, tenant)

    figures["resolve_sequential_api"] = percentiles_ms(api_times)
    figures["resolve_sequential_raw_driver"] = percentiles_ms(raw_times)
    figures["records_sequential"] = percentiles_ms(record_times)
    figures["profile_50_identifiers"] = percentiles_ms(profile_times)
    api, raw = figures["resolve_sequential_api"], figures["resolve_sequential_raw_driver"]
    figures["api_vs_raw_p50"] = api["p50_ms"] / raw["p50_ms"]
    s, b = figures["resolve_single_wrk"], figures["resolve_batch100_wrk"]
    print(f"resolve single (wrk, {s['connections']} conns): {s['requests_per_s']:,.0f} req/s, "
          f"p50 {s['p50_ms']:.2f} ms, p99 {s['p99_ms']:.2f} ms, non-2xx {s['non_2xx']} "
          f"(target >= 1,000 req/s, p99 <= 25 ms)")
    print(f"resolve batch of 100 (wrk, {b['connections']} conns): {b['requests_per_s']:,.0f} "
          f"req/s, p50 {b['p50_ms']:.2f} ms, p99 {b['p99_ms']:.2f} ms (target p99 <= 30 ms)")
    print(f"resolve sequential: API p50 {api['p50_ms']:.2f} ms p99 {api['p99_ms']:.2f} ms; "
          f"raw driver p50 {raw['p50_ms']:.2f} ms p99 {raw['p99_ms']:.2f} ms; "
          f"API/raw p50 {figures['api_vs_raw_p50']:.2f}x")
    r, p = figures["records_sequential"], figures["profile_50_identifiers"]
    print(f"records (link): p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms (target p99 <= 60)")
    print(f"profile with 50 identifiers: p50 {p['p50_ms']:.2f} ms, p99 {p['p99_ms']:.2f} ms "
          f"(target p99 <= 20)")
    print(f"saved {save('api_load', figures)}")



if __name__ == "__main__":
    main()
