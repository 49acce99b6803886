"""`graph._resolve.resolve_lookups` alone: which lookups a value and its type stand for."""

from __future__ import annotations

import pytest

from stormops.core.errors import InvalidInput
from stormops.graph._resolve import resolve_lookups


def test_an_empty_type_is_no_type() -> None:
    """`?type=` from a form left blank: every type the value could be, then an identity id."""
    untyped = resolve_lookups("acme", "Jo@X.co", None, "US")
    assert resolve_lookups("acme", "Jo@X.co", "", "US") == untyped
    assert [lookup.query for lookup in untyped] == ["identity/resolve_keys",
                                                    "identity/resolve_id"]
    nothing = resolve_lookups("acme", "\U0002ef79h\r'", "", "US")  # no type reads it
    assert [lookup.query for lookup in nothing] == ["identity/resolve_id"]


def test_a_value_its_type_refuses_is_an_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        resolve_lookups("acme", "not-an-email", "email", "US")
