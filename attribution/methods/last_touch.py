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
        journeys: the journeys to credit.

    Returns:
        float64, shape (n_touches,): credit per touch, in units of the journey's value.

    Example:
        >>> journeys = Journeys.from_lists([[0, 1, 2], [2]], converted=[True, False])
        >>> last_touch(journeys).tolist()
        [0.0, 0.0, 1.0, 0.0]
    """
    credits = np.zeros(journeys.channel.size)
    credits[journeys.offsets[1:] - 1] = journeys.payout
    return credits
