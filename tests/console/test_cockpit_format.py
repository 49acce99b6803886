"""The cockpit's money tiles stay short enough for a row of six, and keep their magnitude."""

from __future__ import annotations

import pytest

from stormops.console.views.cockpit import compact_money


@pytest.mark.parametrize(("value", "shown"), [
    (0.0, "$0"), (9_876.4, "$9,876"), (28_525.0, "$28.5k"), (999_949.0, "$999.9k"),
    (999_960.0, "$1.00M"), (2_401_234.5, "$2.40M"), (1_234_567_890.0, "$1,234.57M"),
    (-15_000.0, "-$15.0k"),
])
def test_compact_money(value: float, shown: str) -> None:
    assert compact_money(value) == shown
