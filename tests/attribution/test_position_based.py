"""attribution/methods/position_based.py: hand-computed cases and validation."""

from __future__ import annotations

import numpy as np
import pytest

from stormops.attribution.methods import Journeys, position_based


def test_default_u_shape_by_journey_length() -> None:
    journeys = Journeys.from_lists(
        [[0], [0, 1], [0, 1, 2], [0, 1, 1, 2], [2, 0]],
        converted=[True, True, True, True, False],
        value=[10.0, 10.0, 10.0, 10.0, 10.0],
    )
    expected = [
        10.0,  # one touch takes all
        5.0, 5.0,  # 40/40 renormalized to 50/50
        4.0, 2.0, 4.0,  # the middle touch takes the remaining 20%
        4.0, 1.0, 1.0, 4.0,  # two middle touches share 20%, even when repeated
        0.0, 0.0,  # not converted
    ]  # fmt: skip
    np.testing.assert_allclose(position_based(journeys), expected)


def test_custom_shares() -> None:
    journeys = Journeys.from_lists([[0, 1], [0, 1, 2, 3, 4]], converted=[True, True])
    # Two touches: 0.3 / 0.1 renormalized to 0.75 / 0.25. Five touches: 0.3, then the
    # remaining 0.6 over three middle touches, then 0.1.
    credits = position_based(journeys, first=0.3, last=0.1)
    np.testing.assert_allclose(credits, [0.75, 0.25, 0.3, 0.2, 0.2, 0.2, 0.1])


def test_first_and_last_may_take_everything() -> None:
    journeys = Journeys.from_lists([[0, 1, 2]], converted=[True])
    np.testing.assert_allclose(position_based(journeys, first=0.5, last=0.5), [0.5, 0.0, 0.5])


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (-0.1, 0.5, "must be finite and >= 0"),
        (float("nan"), 0.5, "must be finite and >= 0"),
        (0.6, 0.5, r"first \+ last must lie in \(0, 1\]"),
        (0.0, 0.0, r"first \+ last must lie in \(0, 1\]"),
    ],
)
def test_invalid_shares(first: float, last: float, message: str) -> None:
    journeys = Journeys.from_lists([[0, 1]], converted=[True])
    with pytest.raises(ValueError, match=message):
        position_based(journeys, first=first, last=last)
