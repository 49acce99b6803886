import numpy as np

from stormops.matching._rules import LINK, NONE, REVIEW, DecisionRule, decide

# Comparisons: 0 first_name, 1 dob, 2 email (person-level; email strong, exact level 2), 3 place.
RULE = DecisionRule(auto_weight=6.6, review_weight=0.0, min_person_weight=4.0,
                    conflict_weight=9.0, person=(0, 1, 2), strong_exact=((2, 2),))


def _decide(weight: float, contribution: list[float], gamma: list[int]):
    return decide(RULE, np.array([weight]), np.array([contribution]), np.array([gamma]))


def test_person_level_agreement_links() -> None:
    decisions = _decide(10.0, [8.0, 0.0, 0.0, 5.0], [3, -1, -1, 2])
    assert decisions.status.tolist() == [LINK]
    assert not decisions.household_only[0]


def test_household_evidence_alone_goes_to_review_however_strong() -> None:
    decisions = _decide(20.0, [0.0, 0.0, 0.0, 13.0], [-1, -1, -1, 5])
    assert decisions.status.tolist() == [REVIEW]
    assert decisions.household_only[0]
    assert decisions.person_weight.tolist() == [0.0]


def test_exact_strong_identifier_links_deterministically_even_below_auto_link() -> None:
    decisions = _decide(-1.0, [0.0, 0.0, 12.0, -6.0], [-1, -1, 2, 0])
    assert decisions.status.tolist() == [LINK] and decisions.deterministic[0]


def test_one_disagreement_is_not_a_conflict_but_two_strong_ones_are() -> None:
    one = _decide(3.0, [-7.0, 0.0, 12.0, 0.0], [0, -1, 2, -1])
    assert not one.conflict[0] and one.status.tolist() == [LINK]
    two = _decide(-5.0, [-7.0, -10.0, 12.0, 0.0], [0, 0, 2, -1])
    assert two.conflict[0] and two.deterministic[0]
    assert two.status.tolist() == [REVIEW]  # a shared email between different people: review


def test_a_conflict_without_shared_identifier_is_nothing_however_strong_the_place() -> None:
    decisions = _decide(8.0, [-7.0, -10.0, 0.0, 13.0], [0, 0, -1, 1])
    assert decisions.conflict[0] and decisions.status.tolist() == [NONE]


def test_below_review_is_nothing() -> None:
    assert _decide(-3.0, [2.0, 0.0, 0.0, 0.0], [1, -1, -1, -1]).status.tolist() == [NONE]


def test_strict_households_discount_near_names_only_at_a_shared_home() -> None:
    # first_name level 2 is "typo"; place levels 4 and 5 mean a shared home.
    strict = DecisionRule(auto_weight=6.6, review_weight=0.0, min_person_weight=4.0,
                          conflict_weight=9.0, person=(0, 1, 2), strong_exact=((2, 2),),
                          home=(3, (4, 5)), weak_at_home=((0, 2),))
    contribution = np.array([[7.0, 0.0, 0.0, 13.0], [7.0, 0.0, 0.0, -4.0], [7.0, 11.0, 0.0, 13.0]])
    gamma = np.array([[2, -1, -1, 4], [2, -1, -1, 0], [2, 3, -1, 5]])
    weight = np.array([14.0, 8.0, 25.0])
    decisions = decide(strict, weight, contribution, gamma)
    assert decisions.status.tolist() == [REVIEW, LINK, LINK]
    assert decisions.household_only.tolist() == [True, False, False]
    assert decide(RULE, weight, contribution, gamma).status.tolist() == [LINK, LINK, LINK]
