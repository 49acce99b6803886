"""CLI start-up: `stormops --help` and `stormops resolve`, each a fresh process, against the
import of the whole stack that every call used to pay (the baseline, measured in the same run).

Targets: `stormops --help` within 0.5 s and `stormops resolve` (start, connect, one lookup)
within 1 s. Wall time on a shared machine also counts waiting for a core, so CPU time is
printed beside it.

    python bench/cli_start.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import command_times, process_times, save, wall_cpu_summary  # noqa: E402

# What `stormops.cli.main` imported before the commands loaded their own modules.
_WHOLE_STACK = ("typer", "rich.progress", "neo4j", "stormops.graph.journeys",
                "stormops.graph.records", "stormops.matching.ingest", "stormops.matching.model",
                "stormops.attribution.live", "stormops.experiments.reporting", "stormops.stream")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    from stormops.core.settings import Settings
    from stormops.graph import IdentityGraph, delete_tenant, open_driver

    settings = Settings()
    tenant = f"bench-cli-{uuid.uuid4().hex[:8]}"
    env = {**os.environ}
    with open_driver(settings) as driver:
        IdentityGraph(driver, settings.neo4j_database).link_property(
            tenant, None, {"email": "start@example.com"})
        try:
            command_times(["--help"], env)  # warm the file cache once, as any earlier use would
            runs: dict[str, list[tuple[float, float]]] = {"baseline": [], "help": [],
                                                          "resolve": []}
            for _ in range(args.repeats):
                runs["baseline"].append(process_times(
                    [sys.executable, "-c", "import " + ", ".join(_WHOLE_STACK)]))
                runs["help"].append(command_times(["--help"], env))
                runs["resolve"].append(command_times(
                    ["resolve", "-t", tenant, "start@example.com"], env))
        finally:
            delete_tenant(driver, settings.neo4j_database, tenant)
    figures = {name: wall_cpu_summary(found) for name, found in runs.items()}
    base = figures["baseline"]
    for name in ("help", "resolve"):
        figures[name]["wall_ratio_to_baseline"] = round(
            figures[name]["wall_median_s"] / base["wall_median_s"], 2)
        figures[name]["cpu_ratio_to_baseline"] = round(
            figures[name]["cpu_median_s"] / base["cpu_median_s"], 2)
    for name, target in (("baseline", None), ("help", 0.5), ("resolve", 1.0)):
        row = figures[name]
        print(f"{name:9} wall median {row['wall_median_s']:5.2f} s (max {row['wall_max_s']:.2f}),"
              f" cpu median {row['cpu_median_s']:5.2f} s"
              + (f"; target {target} s; ratio to baseline wall {row['wall_ratio_to_baseline']}, "
                 f"cpu {row['cpu_ratio_to_baseline']}" if target else ""))
    print(f"saved {save('cli_start', {'repeats': args.repeats, **figures})}")


if __name__ == "__main__":
    main()
