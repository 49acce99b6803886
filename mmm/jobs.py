"""Fits run in the background, one at a time per process, with a status anyone can read.

A job's status is a small JSON file in the tenant's mix-model folder
(`jobs/<job_id>.json`: queued, running, done with the fit's version, or failed with the
reason), so every API worker reads the same status, and a restart leaves an honest record: a
job still `running` from a dead process says so by its `updated_at`.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from stormops.core.errors import NotFound, StormOpsError
from stormops.mmm.data import WeeklyData
from stormops.mmm.fit import FitSettings
from stormops.mmm.service import MarketingMix

log = logging.getLogger("stormops.mmm")
_JOB_ID = re.compile(r"^[0-9a-f]{16}$")


class FitJobs:
    """Runs fits in a single background thread and records their status per tenant."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mmm-fit")

    def submit(self, mix: MarketingMix, data: WeeklyData, lift_tests: list[dict[str, Any]],
               settings: FitSettings) -> dict[str, Any]:
        """Queue a fit of prepared data (`MarketingMix.prepare`); returns the job's status."""
        job = {"job_id": secrets.token_hex(8), "tenant_id": mix.tenant, "status": "queued",
               "version": None, "error": None, "weeks": len(data.frame),
               "channels": list(data.channels), "lift_tests": len(lift_tests)}
        path = _path(mix, job["job_id"])
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(path, job)
        self._pool.submit(_run, mix, path, job, data, lift_tests, settings)
        return job

    def status(self, mix: MarketingMix, job_id: str) -> dict[str, Any]:
        """A job's status. Raises NotFound for an unknown id or another tenant's."""
        path = _path(mix, job_id) if _JOB_ID.match(job_id) else None
        if path is None or not path.exists():
            raise NotFound(f"fit job {job_id} not found", field="job_id")
        return json.loads(path.read_text(encoding="utf-8"))

    def shutdown(self) -> None:
        """Stop taking jobs; a running fit finishes."""
        self._pool.shutdown(wait=False, cancel_futures=True)


def _path(mix: MarketingMix, job_id: str) -> Path:
    return mix.store.folder(mix.tenant) / "jobs" / f"{job_id}.json"


def _write(path: Path, job: dict[str, Any]) -> None:
    job["updated_at"] = datetime.now(UTC).isoformat()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(job), encoding="utf-8")
    tmp.replace(path)


def _run(mix: MarketingMix, path: Path, job: dict[str, Any], data: WeeklyData,
         lift_tests: list[dict[str, Any]], settings: FitSettings) -> None:
    _write(path, {**job, "status": "running"})
    try:
        info = mix.fit_prepared(data, lift_tests, settings)
    except StormOpsError as exc:
        _write(path, {**job, "status": "failed", "error": exc.message})
    except Exception as exc:  # noqa: BLE001 - a failed fit is reported, never lost
        log.exception("mix-model fit %s failed", job["job_id"])
        _write(path, {**job, "status": "failed", "error": f"the fit failed: {type(exc).__name__}"})
    else:
        _write(path, {**job, "status": "done", "version": info["version"],
                      "diagnostics": info["diagnostics"]})
