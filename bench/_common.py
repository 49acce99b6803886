"""Shared bits of the benchmarks: timing summaries and results tagged with the git commit."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

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
