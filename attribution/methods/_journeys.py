"""The encoded journey table every attribution method reads, and the crediting steps they share.

A journey is one prospect's ordered touchpoints (channel ids and timestamps) with its outcome.
All journeys are stored concatenated in CSR layout (`offsets`), so methods work on whole arrays
with `np.add.reduceat` and `np.bincount` instead of looping over journeys in Python.

Every method returns `credit_per_touch`: a float64 array aligned with `Journeys.channel` holding
each touch's share of its journey's value, zero for journeys that did not convert. The credits
of a converted journey sum to its value; `by_channel` turns them into per-channel totals.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import chain

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["Journeys", "by_channel", "split_by_channel_weights", "spread_value"]


@dataclass(frozen=True, eq=False)
class Journeys:
    """Journeys of many prospects, encoded as flat arrays (CSR layout).

    Journey `j` owns touches `offsets[j]:offsets[j + 1]`, in the order they happened. Every
    journey has at least one touch. The arrays are copied on construction and read-only, so
    the derived per-touch arrays below can be cached safely.

    Attributes:
        channel: int32, shape (n_touches,): channel id of each touch, 0 <= id < n_channels.
        ts: float64, shape (n_touches,): touch time in seconds since the epoch.
        offsets: int64, shape (n_journeys + 1,): journey boundaries, offsets[0] == 0,
            offsets[-1] == n_touches, strictly increasing.
        converted: bool, shape (n_journeys,): whether the journey ended in a conversion.
        value: float64, shape (n_journeys,): what a conversion is worth (revenue, or 1.0 to
            count conversions); ignored for journeys that did not convert.
        conversion_ts: float64, shape (n_journeys,): conversion time in seconds since the
            epoch; NaN where unknown, which means the time of the journey's last touch.
        n_channels: number of channel ids (channels that never occur are allowed).
    """

    channel: np.ndarray
    ts: np.ndarray
    offsets: np.ndarray
    converted: np.ndarray
    value: np.ndarray
    conversion_ts: np.ndarray
    n_channels: int

    def __post_init__(self) -> None:
        if isinstance(self.n_channels, bool) or not isinstance(self.n_channels, numbers.Integral):
            raise ValueError(f"n_channels must be an integer, got {self.n_channels!r}")
        if self.n_channels < 0:
            raise ValueError(f"n_channels must be >= 0, got {self.n_channels}")
        channel = _frozen_column(
            "channel", self.channel, np.int32, "iu", bounds=(0, self.n_channels)
        )
        offsets = _frozen_column("offsets", self.offsets, np.int64, "iu")
        if offsets.size == 0 or offsets[0] != 0 or offsets[-1] != channel.size:
            raise ValueError(
                f"offsets must start at 0 and end at len(channel)={channel.size}, got "
                f"{offsets[:1].tolist()}...{offsets[-1:].tolist()} (length {offsets.size})"
            )
        steps = np.diff(offsets)
        if np.any(steps <= 0):
            bad = int(np.flatnonzero(steps <= 0)[0])
            raise ValueError(
                "offsets must strictly increase (every journey needs at least one touch), "
                f"got offsets[{bad}:{bad + 2}] = {offsets[bad : bad + 2].tolist()}"
            )
        n_journeys = offsets.size - 1
        columns = {
            "channel": channel,
            "ts": _frozen_column("ts", self.ts, np.float64, "iuf", channel.size, finite=True),
            "offsets": offsets,
            "converted": _frozen_column(
                "converted", self.converted, np.bool_, "biu", n_journeys, bounds=(0, 2)
            ),
            "value": _frozen_column(
                "value", self.value, np.float64, "biuf", n_journeys, finite=True
            ),
            "conversion_ts": _frozen_column(
                "conversion_ts", self.conversion_ts, np.float64, "iuf", n_journeys
            ),
        }
        if np.isinf(columns["conversion_ts"]).any():
            raise ValueError("conversion_ts must be finite or NaN (unknown), got an infinity")
        for name, column in columns.items():
            object.__setattr__(self, name, column)
        object.__setattr__(self, "n_channels", int(self.n_channels))

    @classmethod
    def from_lists(
        cls,
        paths: Sequence[Sequence[int]],
        converted: Sequence[bool] | ArrayLike,
        value: Sequence[float] | ArrayLike | None = None,
        ts: Sequence[Sequence[float]] | None = None,
        n_channels: int | None = None,
        *,
        conversion_ts: Sequence[float] | ArrayLike | None = None,
    ) -> Journeys:
        """Journeys from one channel-id list per journey, for tests and small callers.

        Args:
            paths: per journey, its channel ids in touch order.
            converted: per journey, whether it converted.
            value: per journey, its value; default 1.0 each (count conversions).
            ts: per journey, its touch times in seconds (same shape as `paths`); default 0.0
                for every touch, which makes time-decay credit equal to linear.
            n_channels: number of channel ids; default max id + 1.
            conversion_ts: per journey, its conversion time; default NaN (the last touch).

        Returns:
            The encoded `Journeys`.

        Raises:
            ValueError: when the lists disagree in length or hold invalid values.

        Example:
            >>> journeys = Journeys.from_lists([[0, 1], [1]], converted=[True, False])
            >>> journeys.offsets.tolist(), journeys.n_channels
            ([0, 2, 3], 2)
        """
        lengths = np.fromiter((len(path) for path in paths), dtype=np.int64, count=len(paths))
        channel = np.fromiter(chain.from_iterable(paths), dtype=np.int64, count=int(lengths.sum()))
        if ts is None:
            touch_ts = np.zeros(channel.size)
        else:
            ts_lengths = [len(times) for times in ts]
            if ts_lengths != lengths.tolist():
                raise ValueError(
                    f"ts must have one time per touch of each path, got lengths {ts_lengths} "
                    f"for path lengths {lengths.tolist()}"
                )
            touch_ts = np.fromiter(chain.from_iterable(ts), dtype=np.float64, count=channel.size)
        n_journeys = lengths.size
        return cls(
            channel=channel,
            ts=touch_ts,
            offsets=np.concatenate(([0], np.cumsum(lengths))),
            converted=np.asarray(converted),
            value=np.ones(n_journeys) if value is None else np.asarray(value),
            conversion_ts=(
                np.full(n_journeys, np.nan) if conversion_ts is None else np.asarray(conversion_ts)
            ),
            n_channels=int(channel.max(initial=-1)) + 1 if n_channels is None else n_channels,
        )

    @property
    def n_journeys(self) -> int:
        """Number of journeys."""
        return self.offsets.size - 1

    @cached_property
    def lengths(self) -> np.ndarray:
        """int64, shape (n_journeys,): touches per journey."""
        return np.diff(self.offsets)

    @cached_property
    def journey_index(self) -> np.ndarray:
        """int64, shape (n_touches,): the journey each touch belongs to."""
        return np.repeat(np.arange(self.n_journeys), self.lengths)

    @cached_property
    def position(self) -> np.ndarray:
        """int64, shape (n_touches,): 0-based position of each touch within its journey."""
        return np.arange(self.channel.size) - self.offsets[self.journey_index]

    @cached_property
    def payout(self) -> np.ndarray:
        """float64, shape (n_journeys,): the value to credit, zero where not converted."""
        return np.where(self.converted, self.value, 0.0)

    @cached_property
    def conversion_time(self) -> np.ndarray:
        """float64, shape (n_journeys,): conversion_ts, or the last touch's ts where NaN."""
        return np.where(
            np.isnan(self.conversion_ts), self.ts[self.offsets[1:] - 1], self.conversion_ts
        )

    @cached_property
    def channel_repeats(self) -> np.ndarray:
        """int64, shape (n_touches,): touches in the same journey with the same channel."""
        key = self.journey_index * max(self.n_channels, 1) + self.channel
        # Keys are already grouped by journey, so a stable sort is close to linear here.
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        run_starts = np.flatnonzero(np.diff(sorted_key, prepend=-1))
        run_lengths = np.diff(run_starts, append=key.size)
        repeats = np.empty(key.size, dtype=np.int64)
        repeats[order] = np.repeat(run_lengths, run_lengths)
        return repeats


def by_channel(credits: np.ndarray, journeys: Journeys) -> np.ndarray:
    """Total credit per channel: the figure an attribution report shows.

    Args:
        credits: float64, shape (n_touches,): credit_per_touch from any method.
        journeys: the journeys the credits were computed for.

    Returns:
        float64, shape (n_channels,): summed credit of each channel's touches.

    Raises:
        ValueError: when `credits` is not one value per touch.

    Example:
        >>> journeys = Journeys.from_lists([[0, 1], [1]], converted=[True, True])
        >>> by_channel(np.array([0.5, 0.5, 1.0]), journeys).tolist()
        [0.5, 1.5]
    """
    credits = np.asarray(credits, dtype=np.float64)
    if credits.shape != journeys.channel.shape:
        raise ValueError(
            f"credits must have one value per touch, shape {journeys.channel.shape}, "
            f"got shape {credits.shape}"
        )
    totals = np.bincount(journeys.channel, weights=credits, minlength=journeys.n_channels)
    return totals.astype(np.float64, copy=False)  # bincount gives int64 for empty input


def spread_value(journeys: Journeys, weights: np.ndarray) -> np.ndarray:
    """Credit per touch: each converted journey's value split in proportion to `weights`.

    `weights` (float64, one per touch, >= 0) must have a positive sum in every converted
    journey; journeys that did not convert get zero whatever their weights.
    """
    totals = np.add.reduceat(weights, journeys.offsets[:-1])
    payout = journeys.payout
    scale = np.divide(payout, totals, out=np.zeros_like(payout), where=payout != 0)
    return weights * scale[journeys.journey_index]


def split_by_channel_weights(journeys: Journeys, channel_weights: np.ndarray) -> np.ndarray:
    """Credit per touch: a journey's value over its distinct channels in proportion to weights.

    Each channel present gets `channel_weights[c]` over the sum of the weights of the distinct
    channels in that journey, shared equally by that channel's touches. A converted journey
    whose channels all weigh zero is split equally among its distinct channels instead.
    """
    equal_split = 1 / journeys.channel_repeats
    per_touch = channel_weights[journeys.channel] * equal_split
    weightless = np.add.reduceat(per_touch, journeys.offsets[:-1]) <= 0
    return spread_value(
        journeys, np.where(weightless[journeys.journey_index], equal_split, per_touch)
    )


def _frozen_column(
    name: str,
    values: ArrayLike,
    dtype: type,
    kinds: str,
    length: int | None = None,
    *,
    bounds: tuple[int, int] | None = None,
    finite: bool = False,
) -> np.ndarray:
    """A read-only 1-D copy of `values` as `dtype`, after checking shape, kind and range."""
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {array.shape}")
    if array.size and array.dtype.kind not in kinds:
        raise ValueError(f"{name} must have a dtype of kind {kinds!r}, got {array.dtype}")
    if length is not None and array.size != length:
        raise ValueError(f"{name} must have length {length}, got length {array.size}")
    if bounds is not None and array.size and (array.min() < bounds[0] or array.max() >= bounds[1]):
        raise ValueError(
            f"{name} values must lie in [{bounds[0]}, {bounds[1]}), got values from "
            f"{array.min()} to {array.max()}"
        )
    column = array.astype(dtype, copy=True)
    if finite and not np.isfinite(column).all():
        index = int(np.flatnonzero(~np.isfinite(column))[0])
        raise ValueError(f"{name} must be finite, got {column[index]} at index {index}")
    column.flags.writeable = False
    return column
