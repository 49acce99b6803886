"""First-touch attribution: a conversion belongs to the touch that opened the journey."""

from __future__ import annotations

import numpy as np

from stormops.attribution.methods._journeys import Journeys

__all__ = ["first_touch"]


def first_touch(journeys: Journeys) -> np.ndarray:
    """Give each converted journey's whole value to its first touch.

    First touch answers which channels *find* prospects; it ignores everything that
    happened afterwards, so it is a baseline to read next to last touch and the
    data-driven methods rather than a verdict.

    Args:
        journeys: the journeys to credit.

    Returns:
        float64, shape (n_touches,): credit per touch, in units of the journey's value.

    Example:
        >>> journeys = Journeys.from_lists([[0, 1, 2], [2]], converted=[True, False])
        >>> first_touch(journeys).tolist()
        [1.0, 0.0, 0.0, 0.0]
    """
    credits = np.zeros(journeys.channel.size)
    credits[journeys.offsets[:-1]] = journeys.payout
    return credits
