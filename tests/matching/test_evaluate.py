import json

import numpy as np
import pytest

from stormops.matching.evaluate import (
    cluster_metrics,
    exact_cluster_metrics,
    false_positive_link_rate,
    link_rate,
    main,
    pair_metrics,
)

TRUTH = ["a", "a", "a", "b", "b", "c"]


def test_cluster_metrics_count_pairs_within_clusters() -> None:
    # Clusters {0,1} {2,3,4} {5}: predicted pairs 1 + 3, true pairs 3 + 1, both right: 0-1, 3-4.
    metrics = cluster_metrics(TRUTH, [1, 1, 2, 2, 2, 3])
    assert (metrics.true_positives, metrics.predicted, metrics.actual) == (2, 4, 4)
    assert metrics.precision == metrics.recall == metrics.f1 == 0.5


def test_perfect_and_empty_clusterings() -> None:
    assert cluster_metrics(TRUTH, TRUTH).f1 == 1.0
    singletons = cluster_metrics(TRUTH, range(6))
    assert (singletons.precision, singletons.recall, singletons.f1) == (1.0, 0.0, 0.0)


def test_pair_metrics_count_recall_over_every_true_pair() -> None:
    metrics = pair_metrics(TRUTH, np.array([0, 0, 2]), np.array([1, 3, 5]))
    assert (metrics.true_positives, metrics.predicted, metrics.actual) == (1, 3, 4)
    assert metrics.precision == pytest.approx(1 / 3) and metrics.recall == 0.25


def test_exact_cluster_metrics() -> None:
    metrics = exact_cluster_metrics(TRUTH, [1, 1, 1, 2, 2, 3])
    assert (metrics.precision, metrics.recall) == (1.0, 1.0)
    metrics = exact_cluster_metrics(TRUTH, [1, 1, 2, 3, 3, 3])
    assert (metrics.precision, metrics.recall) == (0.0, 0.0)


def test_link_rate_needs_two_of_a_persons_records_together() -> None:
    # a: 2 of 3 together (2 right); b: split 1+1 (none right).
    assert link_rate(TRUTH, [1, 1, 2, 3, 4, 5]) == pytest.approx(2 / 5)
    assert link_rate(TRUTH, TRUTH) == 1.0
    assert link_rate(["a", "b"], [1, 1]) == 1.0  # nobody has two records


def test_false_positive_links_are_records_in_someone_elses_identity() -> None:
    assert false_positive_link_rate(TRUTH, [1, 1, 1, 1, 2, 3]) == pytest.approx(1 / 6)
    assert false_positive_link_rate(TRUTH, TRUTH) == 0.0


def test_runner_prints_a_table_and_writes_json(tmp_path, capsys) -> None:
    output = tmp_path / "eval.json"
    assert main(["sample", "--rows", "1500", "--seed", "3", "--output", str(output)]) == 0
    result = json.loads(output.read_text())
    assert {"batch", "online", "training"} <= set(result)
    assert result["records"] == 1500
    for path in ("batch", "online"):
        assert 0.0 <= result[path]["cluster"]["f1"] <= 1.0
    printed = capsys.readouterr().out
    assert "batch" in printed and "online" in printed and str(output) in printed


def test_household_false_pairs_are_counted_among_links_and_within_identities() -> None:
    from stormops.matching.evaluate import _scores

    # a and b live together (h); records 0-1 are a, 2 is b, 3 is c elsewhere.
    scores = _scores(["a", "a", "b", "c"], np.array([1, 1, 1, 2]), np.array([0, 1]),
                     np.array([1, 2]), ["h", "h", "h", "k"])
    assert scores["household_pairs_linked"] == 1
    assert scores["household_false_pair_rate"] == 0.5
    assert scores["household_pairs_in_one_identity"] == 2
    assert scores["household_false_cluster_pair_rate"] == pytest.approx(2 / 3)
