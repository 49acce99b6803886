"""attribution/methods/last_touch.py: hand-computed cases."""

from __future__ import annotations

from stormops.attribution.methods import Journeys, last_touch


def test_last_touch_gets_the_whole_value() -> None:
    journeys = Journeys.from_lists(
        [[2, 0, 1], [1], [0, 2, 2], [1, 2]],
        converted=[True, True, True, False],
        value=[100.0, 40.0, 7.0, 50.0],
    )
    # One touch takes everything; of a repeated last channel only the last touch counts;
    # the non-converting journey [1, 2] gets nothing.
    assert last_touch(journeys).tolist() == [0, 0, 100.0, 40.0, 0, 0, 7.0, 0, 0]


def test_channel_that_never_converts_gets_nothing() -> None:
    journeys = Journeys.from_lists([[0, 1], [1, 2]], converted=[True, False])
    assert last_touch(journeys)[journeys.channel == 2].tolist() == [0.0]
