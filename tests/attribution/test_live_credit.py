"""Live credit kept journey by journey equals a batch run over the same journeys, for every
method (Markov refitted from summed transition counts), whatever the order of updates."""

from __future__ import annotations

import numpy as np
import pytest

from stormops.attribution._live_credit import (
    WINDOW_MINUTES,
    empty_state,
    journey_shares,
    settle,
    storm_figures,
)
from stormops.attribution.config import ALL_METHODS, parse_config
from stormops.attribution.engine import AttributionEngine, encode
from stormops.graph.attribution import StormArrays, storm_arrays

CHANNELS = ("door_knock", "sms", "email", "call_center", "social")
DAY_MS = 86_400_000


def _storm(seed: int, n: int = 300) -> tuple[list[tuple], dict[str, list[list]]]:
    """Journey rows (the columns of read_storm_journeys) and their events."""
    rng = np.random.default_rng(seed)
    rows, events = [], {}
    for j in range(n):
        length = int(rng.integers(0, 6))  # some journeys have only a conversion
        ts = np.sort(1_700_000_000_000 + rng.integers(0, 200 * DAY_MS, length)).tolist()
        channels = [CHANNELS[c] for c in rng.integers(0, len(CHANNELS), length)]
        converted = bool(length == 0 or rng.random() < 0.4)
        conv_ms = (ts[-1] if ts else 1_700_000_000_000) + int(rng.integers(-3, 10)) * DAY_MS
        revenue = round(float(rng.lognormal(9, 0.5)), 2) if converted else 0.0
        journey_id = f"id{j}|S1"
        rows.append((journey_id, channels, ts, converted, conv_ms if converted else None,
                     revenue))
        events[journey_id] = [["touch", c, float(rng.integers(0, 20)), t]
                              for c, t in zip(channels, ts, strict=True)]
        if converted:
            events[journey_id].append(["conversion", None, 0.0, conv_ms])
    return rows, events


def _batch(arrays: StormArrays, config) -> dict[str, float]:
    engine = AttributionEngine("t", config, store=None)
    storm = encode(arrays, config)
    return engine.run_method(storm, config.default_method).by_channel


def _live(rows: list[tuple], events: dict, config, order: list[int]) -> dict:
    """Shares applied one journey at a time, in `order`."""
    state = empty_state(config)
    for j in order:
        arrays = storm_arrays([rows[j]])
        share = journey_shares(arrays, {rows[j][0]: events[rows[j][0]]}, config)[rows[j][0]]
        settle(state, [(None, share)])
    return state


CONFIGS = [{"default_method": m} for m in ALL_METHODS] + [
    {"default_method": "markov", "markov_order": 2},
    {"default_method": "hybrid", "hybrid_weights": {"markov": 0.3, "time_decay": 0.7}},
    {"default_method": "linear", "value": "conversions", "lookback_days": 30},
    {"default_method": "markov", "channels": ["sms", "door_knock", "email"]},
]


@pytest.mark.parametrize("raw", CONFIGS, ids=lambda c: "-".join(map(str, c.values())))
def test_live_credit_equals_batch(raw: dict) -> None:
    config = parse_config(raw)
    rows, events = _storm(seed=len(str(raw)))
    order = np.random.default_rng(1).permutation(len(rows)).tolist()
    state = _live(rows, events, config, order)
    live = storm_figures(state, config)["credit"]
    batch = _batch(storm_arrays(rows), config)
    assert set(live) == set(batch)
    for channel, credit in batch.items():
        # Incremental sums differ from one vectorized sum by rounding only.
        assert live[channel] == pytest.approx(credit, rel=1e-9, abs=1e-6), channel
    assert sum(live.values()) > 0


def test_updates_replays_and_removals_leave_the_batch_state() -> None:
    config = parse_config({"default_method": "markov"})
    rows, events = _storm(seed=5)
    state = _live(rows, events, config, list(range(len(rows))))
    # A journey grows (a new touch), is replayed unchanged, and one disappears (a merge).
    grown = list(rows[0])
    grown[1] = [*grown[1], "email"]
    grown[2] = [*grown[2], grown[2][-1] + 1 if grown[2] else 1_700_000_000_000]
    old = journey_shares(storm_arrays([rows[0]]), events, config)[rows[0][0]]
    grown_events = {rows[0][0]: [*events[rows[0][0]], ["touch", "email", 3.0, grown[2][-1]]]}
    new = journey_shares(storm_arrays([tuple(grown)]), grown_events, config)[rows[0][0]]
    settle(state, [(old, new)])
    settle(state, [(new, new)])
    gone = journey_shares(storm_arrays([rows[1]]), events, config)[rows[1][0]]
    settle(state, [(gone, None)])
    final = [tuple(grown), *rows[2:]]
    live = storm_figures(state, config)["credit"]
    batch = _batch(storm_arrays(final), config)
    assert live == pytest.approx(batch, rel=1e-9)
    assert state["journeys"] == len(final)
    assert state["events"] == sum(len(events[r[0]]) for r in rows[2:]) + len(
        grown_events[rows[0][0]])


def test_cpa_roas_and_minutes() -> None:
    config = parse_config({"default_method": "last_touch"})
    rows = [("a|S1", ["sms", "door_knock"], [0, 60_000], True, 120_000, 1000.0)]
    events = {"a|S1": [["touch", "sms", 2.0, 0], ["touch", "door_knock", 18.0, 60_000],
                       ["conversion", None, 0.0, 120_000]]}
    state = empty_state(config)
    settle(state, [(None, journey_shares(storm_arrays(rows), events, config)["a|S1"])])
    by = {row["channel"]: row for row in storm_figures(state, config)["channels"]}
    assert by["door_knock"]["credit"] == 1000.0 and by["sms"]["credit"] == 0.0
    assert by["door_knock"]["cpa"] == 18.0 and by["door_knock"]["roas"] == 1000.0 / 18.0
    assert by["sms"]["cpa"] is None and by["sms"]["roas"] == 0.0
    assert state["minutes"] == {"0": [1, 0], "60000": [1, 0], "120000": [1, 1]}
    # Much later events slide the window: minutes before it are dropped.
    late = (WINDOW_MINUTES - 1) * 60_000 + 120_000  # the window starts at minute 2
    rows2 = [("b|S1", ["sms"], [late], False, None, 0.0)]
    settle(state, [(None, journey_shares(storm_arrays(rows2),
                                         {"b|S1": [["touch", "sms", 0.0, late]]},
                                         config)["b|S1"])])
    assert sorted(state["minutes"]) == ["120000", str(late)]
