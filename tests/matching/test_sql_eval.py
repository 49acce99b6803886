import pytest

from stormops.core.errors import InvalidInput
from stormops.matching._sql_eval import compile_condition
from stormops.matching._strings import jaro_winkler_similarity


def _eval(sql: str, left: dict, right: dict):
    return compile_condition(sql, jaro_winkler_similarity)(left, right)


@pytest.mark.parametrize(("sql", "left", "right", "expected"), [
    ('"a_l" = "a_r"', {"a": "x"}, {"a": "x"}, True),
    ('"a_l" = "a_r"', {"a": "x"}, {"a": None}, None),
    ('"a_l" IS NULL OR "a_r" IS NULL', {"a": "x"}, {"a": None}, True),
    ('"a_l" = "a_r" AND "b_l" = "b_r"', {"a": "x", "b": None}, {"a": "y", "b": "z"}, False),
    ('"a_l" = "a_r" AND "b_l" = "b_r"', {"a": "x", "b": None}, {"a": "x", "b": "z"}, None),
    ('"a_l" = "a_r" OR "b_l" = "b_r"', {"a": None, "b": "z"}, {"a": "x", "b": "z"}, True),
    ('NOT ("a_l" = "a_r")', {"a": None}, {"a": "x"}, None),
    ('coalesce("z_l" = "z_r", TRUE)', {"z": None}, {"z": "1"}, True),
    ('coalesce("z_l" = "z_r", TRUE)', {"z": "2"}, {"z": "1"}, False),
    ("jaro_winkler_similarity(\"a_l\", \"a_r\") >= 0.92", {"a": "martha"}, {"a": "marhta"}, True),
    ('damerau_levenshtein("d_l", "d_r") <= 1', {"d": "1970-01-02"}, {"d": "1970-01-20"}, True),
    ('damerau_levenshtein("d_l", "d_r") <= 2', {"d": "abc"}, {"d": "cba"}, True),
    ("list_has_any(string_split(\"n_l\", ' '), string_split(\"n_r\", ' '))",
     {"n": "smith jones"}, {"n": "jones"}, True),
    ('substr("d_l", 6, 2) = substr("d_r", 9, 2)', {"d": "1970-03-04"}, {"d": "1970-04-03"}, True),
    ("replace(\"a_l\", ' ', '') = replace(\"a_r\", ' ', '')", {"a": "oak st"}, {"a": "oakst"},
     True),
    ("replace(\"a_l\", ' ', '') = replace(\"a_r\", ' ', '')", {"a": "oak st"}, {"a": None},
     None),
])
def test_sql_semantics_with_nulls(sql: str, left: dict, right: dict, expected) -> None:
    assert _eval(sql, left, right) is expected


@pytest.mark.parametrize("sql", [
    'regexp_matches("a_l", "a_r")', '"a" = "a_r"', 'levenshtein("a_l") <= 1',
    'substr("a_l", 0, 2) = "a_r"', 'replace("a_l", "b_l", \'\') = "a_r"',
])
def test_unsupported_sql_is_refused_up_front(sql: str) -> None:
    with pytest.raises(InvalidInput) as err:
        compile_condition(sql, jaro_winkler_similarity)
    assert err.value.field == "model"
