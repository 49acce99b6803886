"""attribution/methods/first_touch.py: hand-computed cases."""

from __future__ import annotations

from stormops.attribution.methods import Journeys, first_touch


def test_first_touch_gets_the_whole_value() -> None:
    journeys = Journeys.from_lists(
        [[2, 0, 1], [1], [0, 0, 2], [1, 2]],
        converted=[True, True, True, False],
        value=[100.0, 40.0, 7.0, 50.0],
    )
    # One touch takes everything; a repeated channel's later touches get nothing; the
    # non-converting journey [1, 2] gets nothing.
    assert first_touch(journeys).tolist() == [100.0, 0, 0, 40.0, 7.0, 0, 0, 0, 0]


def test_channel_that_never_converts_gets_nothing() -> None:
    journeys = Journeys.from_lists([[0, 1], [2, 1]], converted=[True, False])
    assert first_touch(journeys)[journeys.channel == 2].tolist() == [0.0]
