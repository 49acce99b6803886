"""The weekly frame built from graph rows, and the storm control: pure, no server."""

from __future__ import annotations

import numpy as np
import pytest

from stormops.core.errors import InvalidInput
from stormops.mmm import storm_pressure, weekly_frame


def _rows(weeks: int, channels=("door_knock", "sms")) -> list[dict]:
    rows = []
    for t in range(weeks):
        week = np.datetime64("2025-01-06") + np.timedelta64(7 * t, "D")
        for i, channel in enumerate(channels):
            rows.append({"week": str(week), "kind": "touch", "channel": channel,
                         "cost": 100.0 * (i + 1) + t, "events": 2, "revenue": 0.0})
        rows.append({"week": str(week), "kind": "conversion", "channel": "", "cost": 0.0,
                     "events": 3, "revenue": 1000.0 + t})
    return rows


def test_weekly_frame_fills_every_week_and_sums_rows() -> None:
    rows = _rows(30)
    rows = [r for r in rows if r["week"] != "2025-02-03" or r["kind"] == "conversion"]
    rows.append({"week": "2025-01-06", "kind": "touch", "channel": "sms", "cost": 5.0,
                 "events": 1, "revenue": 0.0})
    data = weekly_frame(rows, [{"date": "2025-01-08", "sii": 50.0}])
    frame = data.frame
    assert data.channels == ["door_knock", "sms"]
    assert len(frame) == 30 and frame["date"].diff().dropna().dt.days.eq(7).all()
    assert frame.loc[0, "sms"] == 205.0 and frame.loc[0, "door_knock"] == 100.0
    assert frame.loc[4, "door_knock"] == 0.0  # the week without touches spent nothing
    assert frame["revenue"].sum() == sum(1000.0 + t for t in range(30))
    assert frame.loc[0, "conversions"] == 3
    assert frame.loc[0, "storm_pressure"] == 50.0
    assert frame.loc[2, "storm_pressure"] == pytest.approx(50 * 0.6 ** 2)


def test_storm_pressure_fades_and_adds_up_storms_before_the_window() -> None:
    pressure = storm_pressure([0, 2, -1], [10.0, 20.0, 5.0], 4, decay=0.5)
    assert pressure == pytest.approx([10 + 2.5, 5 + 1.25, 2.5 + 20 + 0.625,
                                      1.25 + 10 + 0.3125])


@pytest.mark.parametrize(("rows", "kwargs", "field"), [
    (_rows(10), {}, "weeks"),
    ([], {}, "weeks"),
    (_rows(30), {"channels": ["door_knock", "email"]}, "channels"),
    ([r for r in _rows(30) if r["kind"] == "touch"], {}, "revenue"),
])
def test_too_few_weeks_a_channel_without_spend_or_no_revenue_are_refused(
        rows: list[dict], kwargs: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        weekly_frame(rows, [], **kwargs)
    assert caught.value.field == field


def test_a_channel_holdout_readout_becomes_a_lift_test() -> None:
    from stormops.mmm.calibration import holdout_lift_test

    report = {"template": "channel_holdout", "control": "held_out",
              "arms": {"exposed": {"properties": 900}, "held_out": {"properties": 100}},
              "lifts": {"exposed": {"revenue_per_unit": {
                  "estimate": 40.0, "low": 40.0 - 1.959964 * 10, "high": 40.0 + 1.959964 * 10,
                  "confidence": 0.95}}}}
    test = holdout_lift_test(report, "door_knock", 5_000.0, weeks=4)
    # withholding door knocks from all 1,000 properties for 4 weeks: -40 x 1000 / 4 a week
    assert test == pytest.approx({"channel": "door_knock", "x": 5_000.0, "delta_x": -5_000.0,
                                  "delta_y": -10_000.0, "sigma": 2_500.0})
    for bad, field in [({**report, "template": "geo_split"}, "experiment_id"),
                       ({**report, "lifts": {}}, "experiment_id")]:
        with pytest.raises(InvalidInput) as caught:
            holdout_lift_test(bad, "door_knock", 5_000.0, 4)
        assert caught.value.field == field
    with pytest.raises(InvalidInput) as caught:
        holdout_lift_test(report, "door_knock", 0.0, 4)
    assert caught.value.field == "weekly_spend"
