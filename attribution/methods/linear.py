"""Linear attribution: every touch of a converted journey gets an equal share."""

from __future__ import annotations

import numpy as np

from stormops.attribution.methods._journeys import Journeys, spread_value

__all__ = ["linear"]


def linear(journeys: Journeys) -> np.ndarray:
    """Split each converted journey's value equally among its touches.

    Linear credit makes no claim about which touch mattered, which makes it the neutral
    reference for position-based and time-decay credit; a channel touched twice in a
    journey gets two shares.

    Args:
        journeys: the journeys to credit.

    Returns:
        float64, shape (n_touches,): credit per touch, in units of the journey's value.

    Example:
        >>> journeys = Journeys.from_lists([[0, 1, 1, 2]], converted=[True], value=[100.0])
        >>> linear(journeys).tolist()
        [25.0, 25.0, 25.0, 25.0]
    """
    return spread_value(journeys, np.ones(journeys.channel.size))
