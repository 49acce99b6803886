"""attribution/methods/linear.py: hand-computed cases."""

from __future__ import annotations

import numpy as np

from stormops.attribution.methods import Journeys, by_channel, linear


def test_equal_shares_per_touch() -> None:
    journeys = Journeys.from_lists(
        [[0, 1, 1, 2], [1], [0, 2]],
        converted=[True, True, False],
        value=[100.0, 40.0, 10.0],
    )
    # 100 / 4 touches; a single touch keeps all 40; the non-converting journey gets 0.
    assert linear(journeys).tolist() == [25.0, 25.0, 25.0, 25.0, 40.0, 0.0, 0.0]


def test_repeated_channel_gets_one_share_per_touch() -> None:
    journeys = Journeys.from_lists([[0, 0, 1]], converted=[True], value=[3.0])
    np.testing.assert_allclose(by_channel(linear(journeys), journeys), [2.0, 1.0])


def test_channel_that_never_converts_gets_nothing() -> None:
    journeys = Journeys.from_lists([[0, 1], [2, 1]], converted=[True, False])
    assert by_channel(linear(journeys), journeys).tolist() == [0.5, 0.5, 0.0]
