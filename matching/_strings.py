"""String similarity functions with DuckDB's exact semantics, in pure Python.

The online scorer evaluates the model's comparison levels in Python; these functions must give
bit-for-bit the values DuckDB's `jaro_similarity`, `jaro_winkler_similarity` and
`damerau_levenshtein` give (and so the levels Splink computes). DuckDB works on Unicode code
points, as Python strings do. The Jaro arithmetic keeps DuckDB's operation order
(c/|a| + c/|b| + (c - t)/c) / 3, the Winkler boost applies above 0.7 with up to four prefix
characters and weight 0.1 as one fused multiply-add, empty strings score 0, and two
one-character strings score their equality. `tests/matching/test_strings.py` checks them
against DuckDB on many pairs.
"""

from __future__ import annotations

from fractions import Fraction


def jaro_similarity(a: str, b: str) -> float:
    """Jaro similarity as DuckDB computes it.

    Args:
        a: first string (DuckDB's first argument).
        b: second string.

    Returns:
        Similarity in [0, 1].

    Example:
        >>> round(jaro_similarity("martha", "marhta"), 4)
        0.9444
    """
    a_len, b_len = len(a), len(b)
    if not a_len or not b_len:
        return 0.0
    if a_len == 1 and b_len == 1:
        return float(a == b)
    bound = max(a_len, b_len) // 2 - 1
    prefix = 0
    shorter = min(a_len, b_len)
    while prefix < shorter and a[prefix] == b[prefix]:
        prefix += 1
    flagged_a = [False] * a_len
    a_order: list[int] = []
    b_order: list[int] = []
    for j in range(prefix, b_len):
        char = b[j]
        for i in range(max(prefix, j - bound), min(a_len, j + bound + 1)):
            if not flagged_a[i] and a[i] == char:
                flagged_a[i] = True
                b_order.append(j)
                break
    common = prefix + len(b_order)
    if not common:
        return 0.0
    a_order = [i for i in range(prefix, a_len) if flagged_a[i]]
    transpositions = sum(1 for i, j in zip(a_order, b_order, strict=True) if a[i] != b[j])
    similarity = 0.0
    similarity += common / a_len
    similarity += common / b_len
    similarity += (common - transpositions // 2) / common
    return similarity / 3.0


def jaro_winkler_similarity(a: str, b: str) -> float:
    """Jaro-Winkler similarity as DuckDB computes it: the Jaro similarity raised for a
    common prefix of up to four characters (weight 0.1), once it is above 0.7.

    `a` is DuckDB's first argument and `b` its second; the result lies in [0, 1].

    Example:
        >>> round(jaro_winkler_similarity("martha", "marhta"), 4)
        0.9611
    """
    limit = min(len(a), len(b), 4)
    prefix = 0
    while prefix < limit and a[prefix] == b[prefix]:
        prefix += 1
    similarity = jaro_similarity(a, b)
    if similarity > 0.7 and prefix:
        # DuckDB's build fuses this multiply-add (one rounding); Fractions reproduce that.
        boost = Fraction(prefix * 0.1) * Fraction(1.0 - similarity)
        similarity = float(boost + Fraction(similarity))
    return similarity


def damerau_levenshtein(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions, unrestricted), as DuckDB's.

    Args:
        a: first string.
        b: second string.

    Returns:
        The number of insertions, deletions, substitutions and adjacent transpositions
        turning `a` into `b`.

    Example:
        >>> damerau_levenshtein("ca", "abc")
        2
    """
    a_len, b_len = len(a), len(b)
    infinity = a_len + b_len
    last_row: dict[str, int] = {}
    # Rows and columns are shifted by two: row/column 0 holds the infinity sentinel.
    table = [[infinity] * (b_len + 2) for _ in range(a_len + 2)]
    for i in range(a_len + 1):
        table[i + 1][1] = i
    for j in range(b_len + 1):
        table[1][j + 1] = j
    for i in range(1, a_len + 1):
        last_match_column = 0
        for j in range(1, b_len + 1):
            k = last_row.get(b[j - 1], 0)
            l_ = last_match_column
            cost = 0 if a[i - 1] == b[j - 1] else 1
            if not cost:
                last_match_column = j
            table[i + 1][j + 1] = min(
                table[i][j] + cost,
                table[i + 1][j] + 1,
                table[i][j + 1] + 1,
                table[k][l_] + (i - k - 1) + 1 + (j - l_ - 1),
            )
        last_row[a[i - 1]] = i
    return table[a_len + 1][b_len + 1]


def within_one_edit(a: str, b: str) -> bool:
    """Whether `damerau_levenshtein(a, b) <= 1`, in linear time.

    Args:
        a: first string.
        b: second string.

    Returns:
        True when the strings are equal or one insertion, deletion, substitution or adjacent
        transposition apart.

    Example:
        >>> within_one_edit("1970-01-02", "1970-01-20"), within_one_edit("abc", "cba")
        (True, False)
    """
    if a == b:
        return True
    a_len, b_len = len(a), len(b)
    if abs(a_len - b_len) > 1:
        return False
    start = 0
    while start < min(a_len, b_len) and a[start] == b[start]:
        start += 1
    if a_len == b_len:
        if a[start + 1:] == b[start + 1:]:
            return True
        return (start + 1 < a_len and a[start] == b[start + 1] and a[start + 1] == b[start]
                and a[start + 2:] == b[start + 2:])
    if a_len > b_len:
        return a[start + 1:] == b[start:]
    return a[start:] == b[start + 1:]
