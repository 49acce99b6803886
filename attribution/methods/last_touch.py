"""Last-touch attribution: a conversion belongs to the touch that closed the journey."""

from __future__ import annotations

import numpy as np

from stormops.attribution.methods._journeys import Journeys

__all__ = ["last_touch"]


def last_touch(journeys: Journeys) -> np.ndarray:
    """Give each converted journey's whole value to its last touch.

    Last touch is what most ad platforms report by default, so it is the figure other
    methods are compared against; it over-credits closing channels (a call-centre
    call-back) and ignores the ones that opened the journey.

    Args:
        journeys: the journeys to credit; a journey that did not convert earns nothing.

    Returns:
        float64, shape (n_touches,): each touch's share of its journey's value (1 for a
        converted journey's last touch, 0 elsewhere).

    Example:
        >>> journeys = Journeys.from_lists([[1, 0], [2, 1, 0]], converted=[False, True])
        >>> last_touch(journeys).tolist()
        [0.0, 0.0, 0.0, 0.0, 1.0]
    """
    credits = np.zeros(journeys.channel.size)
    credits[journeys.offsets[1:] - 1] = journeys.payout
    return credits
