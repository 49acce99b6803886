"""attribution/methods/_journeys.py: encoding, validation, derived arrays, shared crediting."""

from __future__ import annotations

import numpy as np
import pytest

from stormops.attribution.methods import Journeys, by_channel
from stormops.attribution.methods._journeys import split_by_channel_weights, spread_value


def _valid_fields() -> dict[str, object]:
    return {
        "channel": np.array([0, 1, 1]),
        "ts": np.array([1.0, 2.0, 3.0]),
        "offsets": np.array([0, 2, 3]),
        "converted": np.array([True, False]),
        "value": np.array([10.0, 5.0]),
        "conversion_ts": np.array([np.nan, 4.0]),
        "n_channels": 2,
    }


def test_from_lists_encodes_csr_with_defaults() -> None:
    journeys = Journeys.from_lists([[2, 0], [1], [0, 0, 1]], converted=[True, False, True])
    assert journeys.channel.tolist() == [2, 0, 1, 0, 0, 1]
    assert journeys.channel.dtype == np.int32
    assert journeys.offsets.tolist() == [0, 2, 3, 6]
    assert journeys.offsets.dtype == np.int64
    assert journeys.n_channels == 3
    assert journeys.n_journeys == 3
    assert journeys.value.tolist() == [1.0, 1.0, 1.0]
    assert journeys.ts.tolist() == [0.0] * 6
    assert np.isnan(journeys.conversion_ts).all()


def test_from_lists_takes_times_values_and_channel_count() -> None:
    journeys = Journeys.from_lists(
        [[0, 1], [1]],
        converted=[True, True],
        value=[3.0, 4.0],
        ts=[[10.0, 20.0], [30.0]],
        n_channels=5,
        conversion_ts=[25.0, np.nan],
    )
    assert journeys.ts.tolist() == [10.0, 20.0, 30.0]
    assert journeys.n_channels == 5
    assert journeys.conversion_time.tolist() == [25.0, 30.0]


def test_from_lists_rejects_times_that_do_not_match_paths() -> None:
    with pytest.raises(ValueError, match=r"ts must have one time per touch.*\[2, 2\].*\[2, 1\]"):
        Journeys.from_lists([[0, 1], [1]], converted=[True, True], ts=[[1.0, 2.0], [3.0, 4.0]])


def test_arrays_are_read_only_copies() -> None:
    fields = _valid_fields()
    journeys = Journeys(**fields)
    fields["channel"][0] = 1
    assert journeys.channel[0] == 0
    with pytest.raises(ValueError):
        journeys.value[0] = 1.0


@pytest.mark.parametrize(
    ("field", "bad", "message"),
    [
        ("channel", np.array([0, 2, 1]), r"channel values must lie in \[0, 2\).*0 to 2"),
        ("channel", np.array([0, -1, 1]), r"channel values must lie in \[0, 2\)"),
        ("channel", np.array([0.0, 1.0, 1.0]), "channel must have a dtype of kind 'iu'"),
        ("channel", np.array([[0, 1, 1]]), r"channel must be 1-D, got shape \(1, 3\)"),
        ("offsets", np.array([0, 2, 4]), r"offsets must start at 0 and end at len\(channel\)=3"),
        ("offsets", np.array([1, 2, 3]), "offsets must start at 0"),
        ("offsets", np.array([0, 0, 3]), r"strictly increase.*offsets\[0:2\] = \[0, 0\]"),
        ("ts", np.array([1.0, np.inf, 3.0]), "ts must be finite, got inf at index 1"),
        ("ts", np.array([1.0, 2.0]), "ts must have length 3, got length 2"),
        ("converted", np.array([True]), "converted must have length 2, got length 1"),
        ("converted", np.array([0, 2]), r"converted values must lie in \[0, 2\).*0 to 2"),
        ("value", np.array([1.0, np.nan]), "value must be finite, got nan at index 1"),
        ("conversion_ts", np.array([np.inf, 1.0]), "conversion_ts must be finite or NaN"),
        ("n_channels", 2.0, "n_channels must be an integer, got 2.0"),
        ("n_channels", -1, "n_channels must be >= 0, got -1"),
    ],
)
def test_validation_names_the_field_and_the_value(field: str, bad: object, message: str) -> None:
    fields = _valid_fields() | {field: bad}
    with pytest.raises(ValueError, match=message):
        Journeys(**fields)


def test_integer_flags_are_accepted_as_booleans() -> None:
    journeys = Journeys(**(_valid_fields() | {"converted": np.array([1, 0])}))
    assert journeys.converted.tolist() == [True, False]


def test_derived_arrays() -> None:
    journeys = Journeys.from_lists(
        [[0, 1, 0, 0], [2], [1, 1]], converted=[True, False, True], value=[5.0, 7.0, 2.0]
    )
    assert journeys.lengths.tolist() == [4, 1, 2]
    assert journeys.journey_index.tolist() == [0, 0, 0, 0, 1, 2, 2]
    assert journeys.position.tolist() == [0, 1, 2, 3, 0, 0, 1]
    assert journeys.channel_repeats.tolist() == [3, 1, 3, 3, 1, 2, 2]
    assert journeys.payout.tolist() == [5.0, 0.0, 2.0]


def test_empty_table_gives_empty_credits() -> None:
    journeys = Journeys.from_lists([], converted=[])
    assert journeys.n_journeys == 0 and journeys.n_channels == 0
    assert spread_value(journeys, np.ones(0)).shape == (0,)
    assert by_channel(np.zeros(0), journeys).shape == (0,)


def test_by_channel_sums_credit_per_channel_including_absent_channels() -> None:
    journeys = Journeys.from_lists([[0, 1], [1]], converted=[True, True], n_channels=4)
    assert by_channel(np.array([0.25, 0.75, 1.0]), journeys).tolist() == [0.25, 1.75, 0.0, 0.0]


def test_by_channel_rejects_credits_of_the_wrong_length() -> None:
    journeys = Journeys.from_lists([[0, 1]], converted=[True])
    with pytest.raises(ValueError, match=r"one value per touch, shape \(2,\), got shape \(3,\)"):
        by_channel(np.zeros(3), journeys)


def test_spread_value_normalizes_within_journeys_and_skips_non_converted() -> None:
    journeys = Journeys.from_lists([[0, 1], [0, 1]], converted=[True, False], value=[9.0, 9.0])
    credits = spread_value(journeys, np.array([1.0, 2.0, 0.0, 0.0]))
    assert credits.tolist() == [3.0, 6.0, 0.0, 0.0]


def test_split_by_channel_weights_renormalizes_over_distinct_channels() -> None:
    # Journey A A B C: weights 0.5 + 0.3 + 0.2 = 1, A's 0.5 shared by its two touches.
    # Journey B D: weights 0.3 and 0 renormalize to 1 and 0.
    journeys = Journeys.from_lists([[0, 0, 1, 2], [1, 3]], converted=[True, True])
    credits = split_by_channel_weights(journeys, np.array([0.5, 0.3, 0.2, 0.0]))
    np.testing.assert_allclose(credits, [0.25, 0.25, 0.3, 0.2, 1.0, 0.0])


def test_split_by_channel_weights_falls_back_to_equal_split_without_weight() -> None:
    journeys = Journeys.from_lists([[2, 3, 3]], converted=[True], value=[4.0])
    credits = split_by_channel_weights(journeys, np.array([1.0, 1.0, 0.0, 0.0]))
    np.testing.assert_allclose(credits, [2.0, 1.0, 1.0])
