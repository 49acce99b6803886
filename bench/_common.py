"""Shared bits of the benchmarks: timing summaries and results tagged with the git commit."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import numpy as np

RESULTS = Path(__file__).resolve().parent / "results"


def percentiles_ms(seconds: list[float]) -> dict[str, float]:
    arr = np.asarray(seconds) * 1000.0
    return {"p50_ms": float(np.percentile(arr, 50)), "p99_ms": float(np.percentile(arr, 99)),
            "mean_ms": float(arr.mean()), "n": int(arr.size)}


def save(name: str, figures: dict) -> Path:
    """Write figures as JSON tagged with the commit and time, and return the path."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "unknown"
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}-{commit}-{int(time.time())}.json"
    path.write_text(json.dumps({"commit": commit, **figures}, indent=2))
    return path


@contextmanager
def api_server(workers: int = 1) -> Iterator[str]:
    """A `stormops serve` process on a free loopback port; yields its URL once ready."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "stormops.cli.main", "serve", "--port", str(port),
         "--workers", str(workers)], env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
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
