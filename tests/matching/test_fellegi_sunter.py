import math

import numpy as np
import pytest

from stormops.matching._fellegi_sunter import TfLevel, combine, probability

WEIGHTS = np.array([[0.0, -4.0, 2.0, 8.0],     # comparison 0: levels 0, 1, 2
                    [0.0, -3.0, 6.0, 0.0]])    # comparison 1: levels 0, 1
TF = (TfLevel(comparison=0, gamma=2, column="name", weight=1.0, log2_u_exact=math.log2(0.01),
              min_u=0.0),)


def test_weights_are_prior_plus_level_weights_missing_counting_zero() -> None:
    gamma = np.array([[2, 1], [-1, 0], [0, -1]])
    weight, contribution = combine(gamma, WEIGHTS, -10.0, (), {}, {})
    assert weight.tolist() == [-10 + 8 + 6, -10 + 0 - 3, -10 - 4 + 0]
    assert contribution.tolist() == [[8, 6], [0, -3], [-4, 0]]


def test_term_frequency_adjustment_uses_the_larger_frequency_or_the_one_present() -> None:
    gamma = np.array([[2, -1]] * 4 + [[1, -1]])
    left = {"name": np.array([0.04, 0.001, np.nan, np.nan, 0.5])}
    right = {"name": np.array([0.02, np.nan, 0.002, np.nan, 0.5])}
    weight, contribution = combine(gamma, WEIGHTS, 0.0, TF, left, right)
    expected = [8 + math.log2(0.01 / 0.04), 8 + math.log2(0.01 / 0.001),
                8 + math.log2(0.01 / 0.002), 8.0, 2.0]
    assert contribution[:, 0] == pytest.approx(expected)
    assert weight == pytest.approx(expected)


def test_probability_is_the_logistic_of_the_weight_in_base_two() -> None:
    assert probability(np.array([0.0, 1.0, -1.0])) == pytest.approx([0.5, 2 / 3, 1 / 3])
    assert probability(np.array([-5000.0, 5000.0])).tolist() == [0.0, 1.0]
