"""Targeting pages: the bounds of a request and its opaque cursor.

Profiles are ranked by `ltv_rank`, the lifetime value in cents on 15 digits, '|', the identity
id (highest first); a page's cursor is the last rank it showed, encoded. Pure; `graph.profiles`
walks the index with the bounds this module checks.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass

from stormops.core.errors import InvalidInput

MAX_PAGE = 1000
# The rank is the lifetime value in cents on 15 digits: values up to this many dollars order.
MAX_LTV = 9_999_999_999_999.0
_TOP = "~"  # sorts after every rank (digits)


@dataclass(frozen=True)
class TargetQuery:
    """A targeting request; `cursor` is the opaque `next_cursor` of the previous page."""

    min_ltv: float = 0.0
    segment: str | None = None
    storm_id: str | None = None
    limit: int = 50
    cursor: str | None = None

    def ranks(self) -> tuple[str, str]:
        """(lowest rank, rank the page starts after), validating the bounds and the cursor.

        Raises:
            InvalidInput: min_ltv not a number in 0..MAX_LTV, limit not in 1..MAX_PAGE, or a
                cursor that no page gave out.
        """
        ok = isinstance(self.min_ltv, int | float) and not isinstance(self.min_ltv, bool)
        if not ok or not 0 <= self.min_ltv <= MAX_LTV:
            raise InvalidInput(f"min_ltv: expected a number from 0 to {MAX_LTV:g}, got "
                               f"{self.min_ltv!r}", field="min_ltv")
        if not 1 <= self.limit <= MAX_PAGE:
            raise InvalidInput(f"limit: expected 1 to {MAX_PAGE}, got {self.limit}",
                               field="limit")
        return f"{math.ceil(self.min_ltv * 100):015d}", decode_cursor(self.cursor)


def encode_cursor(rank: str) -> str:
    return base64.urlsafe_b64encode(rank.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str:
    """The rank after which the page starts; above every rank for None."""
    if cursor is None:
        return _TOP
    try:
        rank = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        rank = ""
    cents, sep, identity_id = rank.partition("|")
    if len(cents) != 15 or not cents.isdigit() or not sep or not identity_id:
        raise InvalidInput("cursor: expected the next_cursor of a previous page",
                           field="cursor")
    return rank
