"""The match-weight waterfall: the pure core, and a pair scored with a trained model."""

from __future__ import annotations

import math

import pytest

from stormops.matching.explain import Comparison, explain_pair, waterfall
from stormops.matching.model import MatchingModel
from stormops.matching.normalize import normalize_records, with_derived


def test_steps_add_up_from_the_prior_to_the_final_weight() -> None:
    found = waterfall(-8.0, [Comparison("email", "exact", 10.5),
                             Comparison("dob", "different", -3.25)], model_version="m1")
    assert [s.kind for s in found.steps] == ["prior", "comparison", "comparison", "final"]
    assert [(s.start, s.end) for s in found.steps] == [(0.0, -8.0), (-8.0, 2.5), (2.5, -0.75),
                                                       (0.0, -0.75)]
    assert found.match_weight == -0.75 and found.model_version == "m1"
    expected = 2 ** -0.75 / (1 + 2 ** -0.75)
    assert found.match_probability == pytest.approx(expected)
    assert found.steps[1].probability == pytest.approx(2 ** 2.5 / (1 + 2 ** 2.5))
    assert found.rows()[2] == {"label": "dob", "kind": "comparison", "level": "different",
                               "weight": -3.25, "start": 2.5, "end": -0.75,
                               "probability": found.steps[2].probability}


def test_no_comparisons_leaves_the_prior_and_extremes_stay_probabilities() -> None:
    alone = waterfall(-12.0, [])
    assert [s.end for s in alone.steps] == [-12.0, -12.0]
    assert alone.match_probability == pytest.approx(1 / (1 + 2 ** 12))
    huge = waterfall(-5.0, [Comparison("email", "exact", 5000.0)])
    assert huge.match_probability == 1.0 and math.isfinite(huge.match_weight)
    with pytest.raises(ValueError, match="prior_weight"):
        waterfall(float("nan"), [])


def test_a_scored_pair_explains_what_the_scorer_says(model: MatchingModel) -> None:
    left, right = normalize_records([
        {"record_id": "a", "first_name": "Sarah", "last_name": "Connor", "dob": "1965-03-14",
         "email": "sarah@x.com", "zip": "78701"},
        {"record_id": "b", "first_name": "Sara", "last_name": "Connor", "dob": "1965-03-14",
         "email": "sc@y.com", "zip": "78701", "unused": "kept out"},
    ]).records
    found = explain_pair(model, left, right)
    scores = model.scorer().score(with_derived(left), [with_derived(right)])
    evidence = scores.evidence(0)
    assert [s.label for s in found.steps[1:-1]] == list(evidence["comparisons"])
    assert found.match_weight == pytest.approx(float(scores.match_weight[0]))
    assert found.steps[0].weight == pytest.approx(model.scorer().parameters.prior_weight)
    assert found.model_version == model.model_version
