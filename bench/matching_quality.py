"""Matching quality on household-heavy data: the model without its household terms (the
baseline) and with them, trained and scored on the same files in one run.

Each seed draws a household-heavy sample (`samples.homeowners`, `households=True`: households
of 1-3 sharing address, landline, property and surname; people changing mobile, mailbox or
home), trains a model without labels, links it in batch, and scores it against the truth:

- identity pairs: every record pair placed in one identity (what an export shows), precision,
  recall, F1, and household false pairs (two members of one household in one identity) as a
  share of them;
- direct links: the pairs the linker linked itself;
- recall by kind of same-person pair: a) same given and family name and home, one side without
  email or birth date, the phones differing or missing; b) the same with a given name that
  differs (typo, initial); c) same phone, given name and home, one side without email;
  d) same name and birth date at a different home.

Several seeds, so no figure is tuned to one file.

    .venv/bin/python bench/matching_quality.py --rows 20000 --seeds 1 2 3
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from itertools import combinations
from typing import Any

import numpy as np
from _common import save

from stormops.matching._settings import MatchSettings
from stormops.matching.evaluate import Dataset, _scores, load_dataset
from stormops.matching.model import MatchingModel

_COLUMNS = ("id_precision", "id_recall", "id_f1", "household_false", "link_precision",
            "link_recall", "kind_a", "kind_b", "kind_c", "kind_d")
_TARGETS = "identity pairs: precision >= 0.995, recall >= 0.93, household false <= 0.005"
_HOME = ("street_number", "address")


def _home(record: dict[str, Any]) -> tuple[Any, ...] | None:
    """The street address, or None when the record lacks it."""
    values = tuple(record.get(column) for column in _HOME)
    return values if all(values) else None


def _kind(a: dict[str, Any], b: dict[str, Any]) -> str | None:
    """Which of the four kinds a same-person record pair is (None: another kind)."""
    if not (a["last_name"] and a["last_name"] == b["last_name"]):
        return None
    home_a, home_b = _home(a), _home(b)
    same_home = home_a is not None and home_a == home_b
    same_first = bool(a["first_name"]) and a["first_name"] == b["first_name"]
    bare = not (a["email"] and a["dob"]) or not (b["email"] and b["dob"])
    if same_home and bare and (a["phone"] != b["phone"] or not a["phone"]):
        if same_first:
            return "kind_a"
        if a["first_name"] and b["first_name"]:
            return "kind_b"
    if (same_home and same_first and a["phone"] and a["phone"] == b["phone"]
            and not (a["email"] and b["email"])):
        return "kind_c"
    if (same_first and a["dob"] and a["dob"] == b["dob"] and home_a and home_b
            and home_a != home_b):
        return "kind_d"
    return None


def _kinds(dataset: Dataset) -> dict[str, list[tuple[int, int]]]:
    """Same-person record pairs of each kind."""
    people: dict[str, list[int]] = {}
    for position, person in enumerate(dataset.truth):
        people.setdefault(person, []).append(position)
    kinds: dict[str, list[tuple[int, int]]] = {}
    for positions in people.values():
        for i, j in combinations(positions, 2):
            kind = _kind(dataset.records[i], dataset.records[j])
            if kind is not None:
                kinds.setdefault(kind, []).append((i, j))
    return kinds


def _evaluate(dataset: Dataset, settings: MatchSettings,
              kinds: dict[str, list[tuple[int, int]]]) -> dict[str, float]:
    """Train, predict and cluster one file; its figures."""
    started = time.perf_counter()
    model = MatchingModel(settings)
    model.training.fit(dataset.records)
    predictions = model.inference.predict(dataset.records)
    clusters = model.clustering.cluster(predictions)
    links = clusters.links
    scores = _scores(dataset.truth, clusters.labels, predictions.left[links],
                     predictions.right[links], dataset.households)
    labels = clusters.labels
    figures = {
        "id_precision": scores["cluster"]["precision"],
        "id_recall": scores["cluster"]["recall"],
        "id_f1": scores["cluster"]["f1"],
        "household_false": scores["household_false_cluster_pair_rate"],
        "link_precision": scores["pairwise"]["precision"],
        "link_recall": scores["pairwise"]["recall"],
        "review_items": float(len(clusters.review)),
        "seconds": time.perf_counter() - started,
    }
    for kind, pairs in sorted(kinds.items()):
        figures[kind] = float(np.mean([labels[i] == labels[j] for i, j in pairs]))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args()
    models = {"baseline": replace(MatchSettings(), household_terms=False),
              "household": MatchSettings()}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in models}
    for seed in args.seeds:
        dataset = load_dataset("sample", rows=args.rows, seed=seed, households=True)
        kinds = _kinds(dataset)
        print(f"seed {seed}: " + ", ".join(  # noqa: T201
            f"{kind} {len(pairs)} pairs" for kind, pairs in sorted(kinds.items())))
        for name, settings in models.items():
            figures = _evaluate(dataset, settings, kinds)
            runs[name].append(figures)
            print(f"  {name:9} " + " ".join(  # noqa: T201
                f"{key}={value:.4f}" for key, value in figures.items()))
    print(f"\n{len(args.seeds)} seeds x {args.rows} records, mean (worst):")  # noqa: T201
    print(f"{'model':10}" + "".join(f"{column:>18}" for column in _COLUMNS))  # noqa: T201
    summary: dict[str, dict[str, float]] = {}
    for name, figures in runs.items():
        line = f"{name:10}"
        summary[name] = {}
        for column in _COLUMNS:
            values = [run[column] for run in figures if column in run]
            summary[name][column] = float(np.mean(values))
            worst = max(values) if column == "household_false" else min(values)
            line += f"{np.mean(values):>10.4f} ({worst:.4f})"
        print(line)  # noqa: T201
    base, new = summary["baseline"], summary["household"]
    print("household / baseline: " + ", ".join(  # noqa: T201
        f"{column} x{new[column] / base[column]:.3f}"
        for column in ("id_recall", "id_f1", "link_recall") if base[column]))
    print(f"targets: {_TARGETS}")  # noqa: T201
    path = save("matching_quality", {"rows": args.rows, "seeds": args.seeds, "runs": runs,
                                     "mean": summary})
    print(f"written {path}")  # noqa: T201


if __name__ == "__main__":
    main()
