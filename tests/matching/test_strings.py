import random

import duckdb
import pyarrow as pa
import pytest

from stormops.matching._strings import (
    damerau_levenshtein,
    jaro_similarity,
    jaro_winkler_similarity,
    within_one_edit,
)

WORDS = ("martha", "marhta", "dixon", "dicksonx", "jellyfish", "smellyfish", "daniel", "daniela",
         "washington", "washignton", "1956-04-09", "1956-04-19", "1965-04-09", "o brien",
         "obrien", "jose", "josé", "smith jones", "smith", "a", "ab", "ba", "", "abcd", "badc")


def _pairs(seed: int, n: int) -> list[tuple[str, str]]:
    """Random short strings plus near-duplicates of the word list (typos, swaps, drops)."""
    rng = random.Random(seed)
    pairs = [(a, b) for a in WORDS for b in WORDS]
    for _ in range(n):
        pairs.append(("".join(rng.choice("abé -") for _ in range(rng.randint(0, 9))),
                      "".join(rng.choice("abé -") for _ in range(rng.randint(0, 9)))))
        word = rng.choice(WORDS) or "x"
        i = rng.randrange(len(word))
        variant = word[:i] + rng.choice("aeiouxyz") + word[i + 1:]
        if len(variant) > 2 and rng.random() < 0.4:
            j = rng.randrange(len(variant) - 1)
            variant = variant[:j] + variant[j + 1] + variant[j] + variant[j + 2:]
        pairs.append((word, variant))
    return pairs


@pytest.fixture(scope="module")
def duckdb_values() -> list[tuple[str, str, float, float, int]]:
    pairs = _pairs(seed=3, n=15_000)
    connection = duckdb.connect()
    connection.register("pairs_table",
                        pa.table({"a": [a for a, _ in pairs], "b": [b for _, b in pairs]}))
    rows = connection.execute(
        "SELECT a, b, jaro_similarity(a, b), jaro_winkler_similarity(a, b), "
        "damerau_levenshtein(a, b) FROM pairs_table").fetchall()
    connection.close()
    return rows


def test_jaro_and_jaro_winkler_equal_duckdb_bit_for_bit(duckdb_values) -> None:
    jaro_off = [(a, b) for a, b, jaro, _, _ in duckdb_values if jaro_similarity(a, b) != jaro]
    jw_off = [(a, b) for a, b, _, jw, _ in duckdb_values if jaro_winkler_similarity(a, b) != jw]
    assert jaro_off == [] and jw_off == []


def test_damerau_levenshtein_equals_duckdb(duckdb_values) -> None:
    assert [(a, b) for a, b, _, _, d in duckdb_values if damerau_levenshtein(a, b) != d] == []


def test_within_one_edit_agrees_with_the_distance(duckdb_values) -> None:
    assert [(a, b) for a, b, _, _, d in duckdb_values if within_one_edit(a, b) != (d <= 1)] == []


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("", "", 0.0), ("a", "a", 1.0), ("a", "b", 0.0), ("0", "00", 0.85),
])
def test_edge_cases(a: str, b: str, expected: float) -> None:
    assert jaro_winkler_similarity(a, b) == pytest.approx(expected)


def test_transposition_is_one_edit_but_two_substitutions_are_not() -> None:
    assert damerau_levenshtein("ca", "ac") == 1
    assert damerau_levenshtein("ca", "abc") == 2
    assert not within_one_edit("abcd", "abdx")
