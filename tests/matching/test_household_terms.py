"""The household term and the initial level, level by level, with the online SQL evaluator
(the same conditions Splink runs in batch), and the decision rule's use of them. No training."""

from __future__ import annotations

import math

import numpy as np
import pytest

from stormops.matching._rules import LINK, REVIEW, DecisionRule, decide
from stormops.matching._settings import HOUSEHOLD_LEVELS, MatchSettings, comparisons
from stormops.matching._sql_eval import compile_condition
from stormops.matching._strings import jaro_winkler_similarity
from stormops.matching.normalize import normalize_record

COLUMNS = {"first_name", "first_name_roots", "last_name", "dob", "email", "phone",
           "street_number", "address", "zip", "city", "property_id"}
HOME = {"street_number": "12", "address": "Oak St", "zip": "75201", "city": "Dallas",
        "phone": "214-232-0000"}


def _comparison(name: str, *, household_terms: bool = True) -> dict:
    return next(c for c in comparisons(COLUMNS, household_terms=household_terms)
                if c["output_column_name"] == name)


def _level(name: str, left: dict, right: dict) -> str:
    """The label of the first level whose condition holds, as the online scorer finds it."""
    a, b = (normalize_record({"record_id": "x", **row})[0] for row in (left, right))
    for level in _comparison(name)["comparison_levels"]:
        sql = level["sql_condition"]
        if sql == "ELSE" or compile_condition(sql, jaro_winkler_similarity)(a, b) is True:
            return level["label_for_charts"]
    raise AssertionError("no level")


@pytest.mark.parametrize(("left", "right", "expected"), [
    ({"first_name": "James", **HOME}, {"first_name": "Jmaes", **HOME},
     "same given name at home"),
    ({"first_name": "Robert", **HOME}, {"first_name": "Bob", "street_number": "12",
                                        "address": "Oak Street"}, "same given name at home"),
    ({"first_name": "James", **HOME}, {"first_name": "Maria", **HOME},
     "other given name at home"),
    # a shared landline alone is a shared home
    ({"first_name": "James", "phone": "214-232-0000"},
     {"first_name": "Maria", "phone": "(214) 232-0000"}, "other given name at home"),
    # an initial may fit two housemates; no shared home or no given name: nothing either way
    ({"first_name": "J.", **HOME}, {"first_name": "James", **HOME}, "missing"),
    ({"first_name": "K", **HOME}, {"first_name": "James", **HOME}, "other given name at home"),
    ({"first_name": "James", **HOME}, {"first_name": "James", "street_number": "14",
                                       "address": "Elm St"}, "missing"),
    ({"last_name": "Lopez", **HOME}, {"first_name": "James", **HOME}, "missing"),
])
def test_household_levels(left: dict, right: dict, expected: str) -> None:
    assert _level("household", left, right) == expected


def test_an_initial_is_its_own_given_name_level() -> None:
    assert _level("first_name", {"first_name": "J"}, {"first_name": "James"}) == "initial"
    assert _level("first_name", {"first_name": "K"}, {"first_name": "James"}) == "different"
    labels = [level["label_for_charts"]
              for level in _comparison("first_name", household_terms=False)["comparison_levels"]]
    assert "initial" not in labels


def test_household_m_and_u_are_set_not_trained() -> None:
    levels = {level["label_for_charts"]: level
              for level in _comparison("household")["comparison_levels"]}
    for label, (m, u) in HOUSEHOLD_LEVELS.items():
        assert (levels[label]["m_probability"], levels[label]["u_probability"]) == (m, u)
        assert levels[label]["fix_m_probability"] and levels[label]["fix_u_probability"]
    same, other = (math.log2(m / u) for m, u in HOUSEHOLD_LEVELS.values())
    assert same > 4 and other < -4
    assert sum(m for m, _ in HOUSEHOLD_LEVELS.values()) == pytest.approx(1)
    assert sum(u for _, u in HOUSEHOLD_LEVELS.values()) == pytest.approx(1)
    names = [c["output_column_name"] for c in comparisons(COLUMNS, household_terms=False)]
    assert "household" not in names
    assert MatchSettings.from_dict(MatchSettings().as_dict()).household_terms


def test_the_household_term_counts_as_person_evidence_but_not_towards_a_conflict() -> None:
    # Comparisons: 0 first_name, 1 dob, 2 place, 3 household.
    rule = DecisionRule(auto_weight=6.6, review_weight=0.0, min_person_weight=4.0,
                        conflict_weight=9.0, person=(0, 1, 3), strong_exact=(),
                        against=(0, 1))
    contribution = np.array([
        [3.7, 0.0, 10.8, 4.9],    # an initial at home, the given name agreeing: linked
        [3.7, 0.0, 10.8, 0.0],    # the same without the household term: household only
        [-6.8, 0.0, 10.8, -4.3],  # a different given name at home: no conflict on its own
    ])
    weight = contribution.sum(axis=1) - 5.0
    gamma = np.array([[3, -1, 2, 1], [3, -1, 2, -1], [0, -1, 2, 0]])
    decisions = decide(rule, weight, contribution, gamma)
    assert decisions.status.tolist()[:2] == [LINK, REVIEW]
    assert decisions.household_only.tolist()[:2] == [False, True]
    assert not decisions.conflict[2]
    counted = decide(DecisionRule(**{**rule.__dict__, "against": None}), weight, contribution,
                     gamma)
    assert counted.conflict[2]


def test_strict_households_discount_the_household_term_with_a_near_name() -> None:
    # 0 first_name (level 2 "typo"), 1 place (level 4 a shared home), 2 household.
    strict = DecisionRule(auto_weight=6.6, review_weight=0.0, min_person_weight=4.0,
                          conflict_weight=9.0, person=(0, 2), strong_exact=(),
                          home=(1, (4,)), weak_at_home=((0, 2),), weak_with=(2,))
    decisions = decide(strict, np.array([15.0]), np.array([[7.0, 10.8, 4.9]]),
                       np.array([[2, 4, 1]]))
    assert decisions.status.tolist() == [REVIEW] and decisions.person_weight[0] == 0


@pytest.mark.parametrize(("left", "right", "expected"), [
    # a space lost in typing is the same home, and housemates there are told apart by name
    ({"street_number": "2", "address": "Mckinley Circuit", "zip": "3943"},
     {"street_number": "2", "address": "Mckinleycircuit", "zip": "3943"}, "same home"),
    # the same street in the same town at another number: not a home, but near one
    ({"street_number": "84", "address": "Marconi Crescent", "zip": "2642"},
     {"street_number": "180", "address": "Marconi Crescent", "zip": "2642"}, "same street"),
    ({"street_number": "84", "address": "Marconi Crescent", "zip": "2642"},
     {"street_number": "84", "address": "Marconi Crescent", "zip": "7001"}, "similar address"),
    ({"street_number": "84", "address": "Marconi Crescent", "zip": "2642"},
     {"street_number": "180", "address": "Marconi Crescent", "zip": "7001"}, "different"),
])
def test_place_levels_for_typed_addresses(left: dict, right: dict, expected: str) -> None:
    assert _level("place", left, right) == expected


def test_a_space_lost_in_the_address_still_ties_the_given_name_to_the_home() -> None:
    home = {"street_number": "2", "address": "Mckinley Circuit", "zip": "3943"}
    typed = {**home, "address": "Mckinleycircuit"}
    assert _level("household", {"first_name": "Keaton", **home},
                  {"first_name": "Keaton", **typed}) == "same given name at home"
    assert _level("household", {"first_name": "Keaton", **home},
                  {"first_name": "Maria", **typed}) == "other given name at home"
