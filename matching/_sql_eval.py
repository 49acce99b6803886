"""Compile a Splink comparison-level SQL condition into a Python predicate over two records.

The online scorer evaluates the saved model's own `sql_condition`s, so its levels are the ones
Splink computes, without a database round trip per record. The supported subset is what the
model's comparisons use, with SQL's three-valued logic (None = NULL):

    col_l / col_r, literals, TRUE/FALSE/NULL, = <> < <= > >=, AND OR NOT, IS [NOT] NULL,
    coalesce, jaro_winkler_similarity, jaro_similarity, damerau_levenshtein,
    list_has_any(string_split(...), string_split(...)), substr(col, start, length),
    replace(col, literal, literal)

Anything else is refused when the scorer is built, never silently mis-scored.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

import sqlglot
from sqlglot import expressions as exp

from stormops.core.errors import InvalidInput
from stormops.matching._strings import damerau_levenshtein, jaro_similarity, within_one_edit

Row = Mapping[str, Any]
Predicate = Callable[[Row, Row], Any]
StringFunction = Callable[[str, str], float]

_COMPARISONS: dict[type[exp.Expression], Callable[[Any, Any], bool]] = {
    exp.EQ: operator.eq, exp.NEQ: operator.ne, exp.GT: operator.gt, exp.GTE: operator.ge,
    exp.LT: operator.lt, exp.LTE: operator.le,
}


def compile_condition(sql: str, jaro_winkler: StringFunction) -> Predicate:
    """A predicate (left record, right record) -> True / False / None for a SQL condition.

    Args:
        sql: a Splink level condition over `<column>_l` / `<column>_r` (DuckDB dialect).
        jaro_winkler: the Jaro-Winkler function to call (a caller may pass a cached one).

    Returns:
        The predicate; records are mappings from column name (without suffix) to value.

    Raises:
        InvalidInput: the condition uses SQL outside the supported subset.

    Example:
        >>> from matching._strings import jaro_winkler_similarity
        >>> same = compile_condition('"a_l" = "a_r"', jaro_winkler_similarity)
        >>> same({"a": "x"}, {"a": "x"}), same({"a": "x"}, {"a": None})
        (True, None)
    """
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except sqlglot.errors.ParseError as exc:
        raise InvalidInput(f"cannot parse level condition {sql!r}: {exc}", field="model") from None
    return _Compiler(sql, jaro_winkler).compile(tree)


class _Compiler:
    """Recursive translation of a sqlglot tree into closures."""

    def __init__(self, sql: str, jaro_winkler: StringFunction) -> None:
        """Remember the source (for messages) and the Jaro-Winkler function to call."""
        self._sql = sql
        self._jaro_winkler = jaro_winkler

    def compile(self, node: exp.Expression) -> Predicate:
        """Closure for one node."""
        handler = getattr(self, f"_{type(node).__name__.lower()}", None)
        if handler is None:
            raise InvalidInput(
                f"the online scorer cannot evaluate {type(node).__name__} in level condition "
                f"{self._sql!r}", field="model")
        return handler(node)

    def _paren(self, node: exp.Paren) -> Predicate:
        """(x): x."""
        return self.compile(node.this)

    def _column(self, node: exp.Column) -> Predicate:
        """col_l / col_r: the value from the left or right record."""
        name = node.name
        column, side = name[:-2], name[-2:]
        if side == "_l":
            return lambda left, right: left.get(column)
        if side == "_r":
            return lambda left, right: right.get(column)
        raise InvalidInput(f"column {name!r} has no _l/_r suffix in {self._sql!r}", field="model")

    def _literal(self, node: exp.Literal) -> Predicate:
        """A number or string constant."""
        value: Any = node.this
        if not node.is_string:
            value = float(value) if any(ch in value for ch in ".eE") else int(value)
        return lambda left, right: value

    def _boolean(self, node: exp.Boolean) -> Predicate:
        """TRUE / FALSE."""
        value = bool(node.this)
        return lambda left, right: value

    def _null(self, node: exp.Null) -> Predicate:
        """NULL."""
        return lambda left, right: None

    def _binary(self, node: exp.Expression) -> Predicate:
        """= <> < <= > >= with NULL propagation."""
        compare = _COMPARISONS[type(node)]
        if (isinstance(node, exp.LTE) and _is_function(node.this, "damerau_levenshtein")
                and isinstance(node.expression, exp.Literal)
                and node.expression.this == "1"):
            # Linear-time check with the same answer as computing the distance.
            a, b = (self.compile(arg) for arg in node.this.expressions)
            return lambda left, right: _null_or(within_one_edit, a(left, right), b(left, right))
        this, other = self.compile(node.this), self.compile(node.expression)
        return lambda left, right: _null_or(compare, this(left, right), other(left, right))

    _eq = _neq = _gt = _gte = _lt = _lte = _binary

    def _and(self, node: exp.And) -> Predicate:
        """AND: false wins over NULL, NULL over true."""
        this, other = self.compile(node.this), self.compile(node.expression)

        def both(left: Row, right: Row) -> bool | None:
            """Three-valued AND."""
            first = this(left, right)
            if first is False:
                return False
            second = other(left, right)
            if second is False:
                return False
            return None if first is None or second is None else True

        return both

    def _or(self, node: exp.Or) -> Predicate:
        """OR: true wins over NULL, NULL over false."""
        this, other = self.compile(node.this), self.compile(node.expression)

        def either(left: Row, right: Row) -> bool | None:
            """Three-valued OR."""
            first = this(left, right)
            if first is True:
                return True
            second = other(left, right)
            if second is True:
                return True
            return None if first is None or second is None else False

        return either

    def _not(self, node: exp.Not) -> Predicate:
        """NOT: NULL stays NULL."""
        this = self.compile(node.this)

        def negated(left: Row, right: Row) -> bool | None:
            """Three-valued NOT."""
            value = this(left, right)
            return None if value is None else not value

        return negated

    def _is(self, node: exp.Is) -> Predicate:
        """IS NULL (IS NOT NULL arrives as NOT of it)."""
        if not isinstance(node.expression, exp.Null):
            raise InvalidInput(f"only IS [NOT] NULL is supported in {self._sql!r}", field="model")
        this = self.compile(node.this)
        return lambda left, right: this(left, right) is None

    def _coalesce(self, node: exp.Coalesce) -> Predicate:
        """coalesce: the first non-NULL argument."""
        parts = [self.compile(node.this), *(self.compile(arg) for arg in node.expressions)]

        def first_not_null(left: Row, right: Row) -> Any:
            """coalesce."""
            for part in parts:
                value = part(left, right)
                if value is not None:
                    return value
            return None

        return first_not_null

    def _jarowinklersimilarity(self, node: exp.JarowinklerSimilarity) -> Predicate:
        """jaro_winkler_similarity, as sqlglot names it."""
        return self._function(self._jaro_winkler, node.this, node.expression)

    def _anonymous(self, node: exp.Anonymous) -> Predicate:
        """Functions sqlglot does not model: the string metrics."""
        functions: dict[str, Callable[[str, str], Any]] = {
            "damerau_levenshtein": damerau_levenshtein, "jaro_similarity": jaro_similarity,
            "jaro_winkler_similarity": self._jaro_winkler,
        }
        name = node.name.lower()
        if name not in functions or len(node.expressions) != 2:
            raise InvalidInput(f"the online scorer cannot evaluate {name}() in {self._sql!r}",
                               field="model")
        return self._function(functions[name], *node.expressions)

    def _function(self, function: Callable[[str, str], Any], a_node: exp.Expression,
                  b_node: exp.Expression) -> Predicate:
        """A two-argument function with NULL propagation."""
        a, b = self.compile(a_node), self.compile(b_node)
        return lambda left, right: _null_or(function, a(left, right), b(left, right))

    def _arrayoverlaps(self, node: exp.ArrayOverlaps) -> Predicate:
        """list_has_any: the two lists share an element."""
        this, other = self.compile(node.this), self.compile(node.expression)

        def overlap(left: Row, right: Row) -> bool | None:
            """list_has_any."""
            first, second = this(left, right), other(left, right)
            if first is None or second is None:
                return None
            return not set(first).isdisjoint(second)

        return overlap

    def _split(self, node: exp.Split) -> Predicate:
        """string_split on a literal separator."""
        if not isinstance(node.expression, exp.Literal) or not node.expression.this:
            raise InvalidInput(f"string_split needs a non-empty literal in {self._sql!r}",
                               field="model")
        this, separator = self.compile(node.this), node.expression.this
        return lambda left, right: _null_or(str.split, this(left, right), separator)

    def _replace(self, node: exp.Replace) -> Predicate:
        """replace(text, literal, literal)."""
        old, new = node.expression, node.args.get("replacement")
        if not (isinstance(old, exp.Literal) and isinstance(new, exp.Literal) and old.this):
            raise InvalidInput(f"replace needs a non-empty literal and a literal in {self._sql!r}",
                               field="model")
        this, before, after = self.compile(node.this), old.this, new.this
        return lambda left, right: _null_or(lambda text, _: text.replace(before, after),
                                            this(left, right), 0)

    def _substring(self, node: exp.Substring) -> Predicate:
        """substr(text, start, length), 1-based, literal bounds."""
        start, length = node.args.get("start"), node.args.get("length")
        if not (isinstance(start, exp.Literal) and isinstance(length, exp.Literal)
                and int(start.this) >= 1):
            raise InvalidInput(f"substr needs literal start >= 1 and length in {self._sql!r}",
                               field="model")
        this = self.compile(node.this)
        begin = int(start.this) - 1
        end = begin + int(length.this)
        return lambda left, right: _null_or(lambda text, _: text[begin:end],
                                            this(left, right), 0)


def _is_function(node: exp.Expression, name: str) -> bool:
    """Whether the node is a call of the named (unmodelled) function."""
    return isinstance(node, exp.Anonymous) and node.name.lower() == name


def _null_or(function: Callable[[Any, Any], Any], a: Any, b: Any) -> Any:
    """SQL NULL propagation for a two-argument function."""
    if a is None or b is None:
        return None
    return function(a, b)
