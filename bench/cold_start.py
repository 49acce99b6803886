"""Cold start: a new user's first small file, and when a tenant should train its own model.

1. First file: `stormops ingest` of a 16-line hand-written contact file (the shape of
   tests/cli/test_hostile_files.py's CONTACTS) into a new tenant, as a new user runs it: a
   fresh process, wall time until the report is printed (target: 10 s). Beside it, in the same
   run, `stormops db init` in a fresh process (start-up, connection, schema: the floor any
   command pays), and the ratio of the two.
2. Training threshold: models trained without labels on n sample records, scored (pairwise
   F1 of batch predict + cluster) on held-out sample records, next to the shipped prior on
   the same records. `matching.prior.MIN_TRAINING_RECORDS` is where trained models stop
   scoring worse than the prior.

    python bench/cold_start.py [--skip-threshold]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import command_times as _timed  # noqa: E402
from _common import save  # noqa: E402
from _common import wall_cpu_summary as _summary  # noqa: E402

from stormops.samples.contacts import CONTACTS  # noqa: E402

_TRUTH = ("person_id", "household_id", "storm_id", "channel")


def first_file(repeats: int) -> dict:
    """The first file into new tenants, against `db init` in the same run."""
    from stormops.core.settings import Settings
    from stormops.graph import delete_tenant, open_driver

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "contacts.csv"
        path.write_bytes(CONTACTS.encode("cp1252"))
        env = {**os.environ, "STORMOPS_MODEL_DIR": str(Path(folder) / "models")}
        tenants = [f"bench-cold-{uuid.uuid4().hex[:8]}" for _ in range(repeats)]
        _timed(["db", "init"], env)  # warm the server's caches once, as any earlier use would
        floor, first = [], []
        for tenant in tenants:  # interleaved, so both see the same load
            floor.append(_timed(["db", "init"], env))
            first.append(_timed(["ingest", "-t", tenant, "--input", str(path)], env))
        settings = Settings()
        with open_driver(settings) as driver:
            for tenant in tenants:
                delete_tenant(driver, settings.neo4j_database, tenant)
    ingest, init = _summary(first), _summary(floor)
    return {"ingest_16_lines": ingest, "db_init": init,
            "wall_ratio": round(ingest["wall_median_s"] / init["wall_median_s"], 2),
            "cpu_ratio": round(ingest["cpu_median_s"] / init["cpu_median_s"], 2)}


def threshold(sizes: list[int], held_out: int) -> dict:
    """Pairwise F1 of models trained on n sample records vs the prior, on held-out records."""
    from stormops.core.errors import NothingToLearn
    from stormops.matching.evaluate import cluster_metrics
    from stormops.matching.model import MatchingModel
    from stormops.matching.normalize import normalize_records
    from stormops.matching.prior import prior_model
    from stormops.samples.homeowners import generate_records

    def records(rows: int, seed: int) -> tuple[list, list[str]]:
        raw = generate_records(rows, seed=seed)
        stripped = [{k: v for k, v in r.items() if k not in _TRUTH} for r in raw]
        return normalize_records(stripped).records, [r["person_id"] for r in raw]

    held, truth = records(held_out, 202)

    def f1(model: MatchingModel) -> float:
        clusters = model.clustering.cluster(model.inference.predict(held))
        return round(cluster_metrics(truth, clusters.labels.tolist()).f1, 4)

    scores: dict[str, float | str] = {"prior": f1(prior_model())}
    for size in sizes:
        model = MatchingModel()
        try:
            model.training.fit(records(size, 101)[0])
            scores[str(size)] = f1(model)
        except NothingToLearn as exc:
            scores[str(size)] = f"nothing to learn: {exc.message}"
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-threshold", action="store_true")
    args = parser.parse_args()
    figures = {"load_average": os.getloadavg(), "cpus": os.cpu_count()}
    figures["first_file"] = first_file(args.repeats)
    print("first file (16 lines) into a new tenant, fresh process each, vs `db init`:",
          figures["first_file"])
    if not args.skip_threshold:
        figures["threshold_f1"] = threshold([250, 500, 1000, 2000], 4000)
        print("pairwise F1 on 4,000 held-out sample records:", figures["threshold_f1"])
    print(f"load average {figures['load_average']} on {figures['cpus']} CPUs")
    print(f"written to {save('cold_start', figures)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
