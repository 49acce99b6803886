from collections import defaultdict

import numpy as np
import pytest

from stormops.matching.evaluate import Dataset
from stormops.matching.model import MatchingModel, Predictions


def _score_like_predict(model: MatchingModel, records: list, predictions: Predictions):
    """Score every predicted pair with the online scorer, grouped by left record."""
    scorer = model.scorer()
    groups: dict[int, list[int]] = defaultdict(list)
    for pair, left in enumerate(predictions.left.tolist()):
        groups[left].append(pair)
    weight = np.empty(len(predictions))
    gamma = np.empty_like(predictions.gamma)
    status = np.empty_like(predictions.decisions.status)
    for left, pairs in groups.items():
        scores = scorer.score(records[left], [records[predictions.right[p]] for p in pairs])
        weight[pairs], gamma[pairs] = scores.match_weight, scores.gamma
        status[pairs] = scores.decisions.status
    return weight, gamma, status


@pytest.mark.parametrize("name", ["febrl3", "homeowners"])
def test_online_scores_agree_with_splink_predict(name: str, request) -> None:
    dataset: Dataset = request.getfixturevalue(name)
    prefix = "febrl3" if name == "febrl3" else "homeowner"
    model = request.getfixturevalue(f"{prefix}_model")
    predictions = request.getfixturevalue(f"{prefix}_predictions")
    weight, gamma, status = _score_like_predict(model, dataset.records, predictions)
    assert len(predictions) > 5_000
    assert np.abs(weight - predictions.match_weight).max() <= 0.01
    assert np.array_equal(gamma, predictions.gamma)
    assert np.array_equal(status, predictions.decisions.status)
    # Term-frequency adjustments are part of what agrees.
    assert model.parameters.tf_levels


def test_no_candidates_give_empty_scores(homeowner_model: MatchingModel,
                                         homeowners: Dataset) -> None:
    scores = homeowner_model.scorer().score(homeowners.records[0], [])
    assert len(scores) == 0
    assert scores.gamma.shape == (0, len(homeowner_model.parameters.comparisons))
