"""Position-based (U-shaped) attribution: fixed shares for the first and last touch."""

from __future__ import annotations

import math

import numpy as np

from stormops.attribution.methods._journeys import Journeys, spread_value

__all__ = ["position_based"]


def position_based(journeys: Journeys, *, first: float = 0.4, last: float = 0.4) -> np.ndarray:
    """Give the first and last touch fixed shares and split the rest over the middle.

    The U shape encodes the common belief that opening and closing a journey matter most,
    while the middle touches still get something. Rules by journey length:

    - 1 touch: it gets everything;
    - 2 touches: `first` and `last` renormalized to sum to 1 (40/40 becomes 50/50);
    - 3 or more: first gets `first`, last gets `last`, and the middle touches share
      1 - first - last equally.

    Args:
        journeys: the journeys to credit.
        first: share of the first touch, >= 0.
        last: share of the last touch, >= 0; 0 < first + last <= 1.

    Returns:
        float64, shape (n_touches,): credit per touch, in units of the journey's value.

    Raises:
        ValueError: when the shares are negative, not finite, sum to 0 or to more than 1.

    Example:
        >>> journeys = Journeys.from_lists([[0, 1, 2, 3]], converted=[True], value=[10.0])
        >>> position_based(journeys).round(6).tolist()
        [4.0, 1.0, 1.0, 4.0]
    """
    shares = (first, last)
    if not all(math.isfinite(share) and share >= 0 for share in shares):
        raise ValueError(f"first and last must be finite and >= 0, got {first}, {last}")
    if not 0 < first + last <= 1:
        raise ValueError(f"first + last must lie in (0, 1], got {first} + {last}")
    length = journeys.lengths[journeys.journey_index]
    position = journeys.position
    middle = (1 - first - last) / np.maximum(length - 2, 1)
    weights = np.where(position == 0, first, np.where(position == length - 1, last, middle))
    weights[length == 1] = 1.0
    return spread_value(journeys, weights)
