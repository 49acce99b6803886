"""Shared bits of the benchmarks: timing summaries, CPU time, results tagged with the commit."""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import numpy as np
from neo4j import Driver

RESULTS = Path(__file__).resolve().parent / "results"


def clear_plans(driver: Driver, database: str) -> None:
    """Drop Neo4j's cached query plans, so the next queries are planned on the store as it is
    now (a plan made while a label or index was still empty is replanned only later)."""
    driver.execute_query("CALL db.clearQueryCaches()", database_=database)


def percentiles_ms(seconds: list[float]) -> dict[str, float]:
    arr = np.asarray(seconds) * 1000.0
    return {"p50_ms": float(np.percentile(arr, 50)), "p99_ms": float(np.percentile(arr, 99)),
            "mean_ms": float(arr.mean()), "n": int(arr.size)}


@contextmanager
def cpu_used(settings) -> Iterator[dict[str, float | None]]:
    """CPU seconds spent inside the block by this process (`client`, every thread) and by the
    local Neo4j server (`server`: the process `stormops neo4j start` runs; None for a server
    elsewhere). On a shared machine wall time swings with the other load; CPU time much less.
    """
    from stormops.cli.neo4j_local import layout

    try:
        pid: int | None = int(layout(settings).pidfile.read_text())
    except (OSError, ValueError):
        pid = None
    used: dict[str, float | None] = {}
    client, server = time.process_time(), _process_cpu(pid)
    yield used
    after = _process_cpu(pid)
    used["client"] = time.process_time() - client
    used["server"] = None if server is None or after is None else after - server


def _process_cpu(pid: int | None) -> float | None:
    """User + system CPU seconds of a process (Linux /proc), None when unknown."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_per_1k(used: dict[str, float | None], events: int) -> str:
    """CPU seconds per 1,000 events, server and client, as printed by the benchmarks."""
    server = "?" if used["server"] is None else f"{1000 * used['server'] / events:.2f}"
    return f"CPU per 1,000 events: server {server} s, client {1000 * used['client'] / events:.2f} s"
def process_times(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one process, which must succeed. CPU time says
    what the process costs where wall time, on a shared machine, also says how long it waited
    for a core."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def command_times(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """`process_times` of one `stormops` command."""
    return process_times([sys.executable, "-m", "stormops.cli.main", *args], env)


def wall_cpu_summary(runs: list[tuple[float, float]]) -> dict[str, float]:
    """Median and worst wall time, median CPU time of `command_times` runs."""
    walls, cpus = sorted(w for w, _ in runs), sorted(c for _, c in runs)
    return {"wall_median_s": round(walls[len(walls) // 2], 2), "wall_max_s": round(walls[-1], 2),
            "cpu_median_s": round(cpus[len(cpus) // 2], 2)}


def save(name: str, figures: dict) -> Path:
    """Write figures as JSON tagged with the commit and time, and return the path."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "unknown"
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}-{commit}-{int(time.time())}.json"
    path.write_text(json.dumps({"commit": commit, **figures}, indent=2))
    return path


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def api_server(workers: int = 1) -> Iterator[str]:
    """A `stormops serve` process on a free loopback port; yields its URL once ready."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "stormops.cli.main", "serve", "--port", str(port),
         "--workers", str(workers)], env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # a busy shared machine starts slowly
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("API server did not become ready")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(10)
