"""Seeded random journeys shared by the attribution method tests."""

from __future__ import annotations

import numpy as np
import pytest

from stormops.attribution.methods import Journeys

DAY = 86_400.0


def _random_journeys(seed: int, n_journeys: int, n_channels: int, max_length: int) -> Journeys:
    """Journeys with 1..max_length touches, increasing times, revenue and ~35% conversions."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, max_length + 1, n_journeys)
    offsets = np.concatenate(([0], np.cumsum(lengths)))
    n_touches = int(offsets[-1])
    gaps = rng.exponential(3 * DAY, n_touches)
    ts = 1.7e9 + np.cumsum(gaps)
    conversion_ts = ts[offsets[1:] - 1] + rng.exponential(DAY, n_journeys)
    conversion_ts[rng.random(n_journeys) < 0.3] = np.nan
    return Journeys(
        channel=rng.integers(0, n_channels, n_touches),
        ts=ts,
        offsets=offsets,
        converted=rng.random(n_journeys) < 0.35,
        value=rng.lognormal(8, 1, n_journeys),
        conversion_ts=conversion_ts,
        n_channels=n_channels,
    )


@pytest.fixture(scope="session")
def random_journeys() -> Journeys:
    """2,000 journeys over 6 channels with up to 6 touches each."""
    return _random_journeys(seed=20240601, n_journeys=2_000, n_channels=6, max_length=6)
