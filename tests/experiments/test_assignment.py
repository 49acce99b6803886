"""Deterministic, stable, balanced assignment, and the sample-ratio check on its counts."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import numpy as np
import pytest

from stormops.experiments.assignment import assign, unit_hash
from stormops.experiments.stats import srm_check

UNITS = [f"P{i:05d}" for i in range(20_000)]


def test_same_inputs_same_arms_and_salt_changes_them() -> None:
    a = assign(UNITS, ["t", "c"], [0.5, 0.5], "exp-1")
    assert a == assign(list(reversed(UNITS)), ["t", "c"], [0.5, 0.5], "exp-1")
    salted = assign(UNITS, ["t", "c"], [0.5, 0.5], "exp-1", salt="s2")
    assert 0.45 < np.mean([a[u] != salted[u] for u in UNITS]) < 0.55


def test_arms_do_not_depend_on_the_process() -> None:
    code = "from experiments.assignment import unit_hash; print(unit_hash('e', 's', 'P1'))"
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env={"PYTHONHASHSEED": seed}).stdout for seed in ("0", "99")}
    assert outputs == {f"{unit_hash('e', 's', 'P1')}\n"}


def test_adding_units_keeps_existing_arms() -> None:
    first = assign(UNITS[:5_000], ["t", "c"], [0.7, 0.3], "exp-2")
    more = assign(UNITS, ["t", "c"], [0.7, 0.3], "exp-2")
    assert all(more[u] == arm for u, arm in first.items())


def test_weights_are_honoured_and_pass_the_srm_check() -> None:
    arms = assign(UNITS, ["treatment", "control"], [0.9, 0.1], "exp-3")
    counts = Counter(arms.values())
    expected = 0.1 * len(UNITS)
    assert abs(counts["control"] - expected) < 4 * np.sqrt(expected * 0.9)
    assert not srm_check([counts["treatment"], counts["control"]], [0.9, 0.1]).flagged


def test_a_skewed_split_is_flagged() -> None:
    arms = assign(UNITS, ["treatment", "control"], [0.5, 0.5], "exp-4")
    lost = [u for u in UNITS if arms[u] == "treatment"][:1_500]  # a leaky delivery pipeline
    counts = Counter(arms[u] for u in UNITS if u not in set(lost))
    result = srm_check([counts["treatment"], counts["control"]], [0.5, 0.5])
    assert result.flagged and result.p_value < 0.001


def test_strata_are_balanced_to_one_unit_per_arm() -> None:
    rng = np.random.default_rng(0)
    strata = {u: f"band-{rng.integers(0, 7)}" for u in UNITS[:3_001]}
    arms = assign(list(strata), ["a", "m", "c"], [1, 1, 1], "exp-5", strata=strata)
    for band in set(strata.values()):
        counts = Counter(arms[u] for u, b in strata.items() if b == band)
        size = sum(counts.values())
        assert all(abs(counts[v] - size / 3) <= 1 for v in "amc"), (band, counts)


@pytest.mark.parametrize("weights", [[1], [0.5, -0.5], [0, 0], []])
def test_bad_weights_are_refused(weights: list[float]) -> None:
    with pytest.raises(ValueError, match="weights"):
        assign(UNITS[:10], ["t", "c"], weights, "exp")
