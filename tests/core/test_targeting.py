"""Targeting bounds and cursors alone."""

from __future__ import annotations

import pytest

from stormops.core.errors import InvalidInput
from stormops.core.targeting import MAX_LTV, MAX_PAGE, TargetQuery, decode_cursor, encode_cursor


def test_a_cursor_decodes_to_the_rank_it_encodes() -> None:
    rank = "000000001234500|identity-7"
    assert decode_cursor(encode_cursor(rank)) == rank
    assert TargetQuery(min_ltv=123.451, cursor=encode_cursor(rank)).ranks() == (
        "000000000012346", rank)
    assert decode_cursor(None) > "999999999999999|z"  # the first page starts above every rank


@pytest.mark.parametrize("query, field", [
    (TargetQuery(cursor="not-a-cursor"), "cursor"),
    (TargetQuery(cursor=encode_cursor("12|x")), "cursor"),
    (TargetQuery(cursor=encode_cursor("000000000000001|")), "cursor"),
    (TargetQuery(min_ltv=-1), "min_ltv"),
    (TargetQuery(min_ltv=MAX_LTV * 2), "min_ltv"),
    (TargetQuery(min_ltv=float("nan")), "min_ltv"),
    (TargetQuery(min_ltv=True), "min_ltv"),
    (TargetQuery(limit=0), "limit"),
    (TargetQuery(limit=MAX_PAGE + 1), "limit"),
])
def test_bad_bounds_and_foreign_cursors_name_their_field(query: TargetQuery, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        query.ranks()
    assert err.value.field == field
