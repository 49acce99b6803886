"""The console's pages, one module each. A module exposes `PAGE`, a `View`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class View:
    """One page of the console.

    Attributes:
        title: the page's name in the navigation.
        url_path: its address under the console's URL.
        render: draws the page (called on every run while it is shown).
        role: the least role that sees the page (reader < service < reviewer < admin).
        icon: a Material icon name, e.g. ":material/fact_check:".
        section: the navigation group it is listed under.
    """

    title: str
    url_path: str
    render: Callable[[], None]
    role: str = "reader"
    icon: str | None = None
    section: str = "Identity"
