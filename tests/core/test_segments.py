"""Segment rules alone: order, dormancy, validation naming the field, channels."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from stormops.core.errors import InvalidInput
from stormops.core.segments import (
    DEFAULT_SEGMENT_RULES,
    ProfileConfig,
    SegmentRule,
    empty_profile,
    parse_channels,
    parse_segment_rules,
    segment_of,
)


def test_segments_follow_the_rules_in_order_and_dormancy_comes_with_time() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    base = {"lifetime_value": 0.0, "total_conversions": 0, "total_storms": 1,
            "last_event_at": now - timedelta(days=10)}
    assert segment_of(base, DEFAULT_SEGMENT_RULES, now) == "storm_new"
    assert segment_of({**base, "total_storms": 2}, DEFAULT_SEGMENT_RULES, now) == \
        "returning_prospect"
    old = {**base, "last_event_at": now - timedelta(days=365)}
    assert segment_of(old, DEFAULT_SEGMENT_RULES, now) == "dormant"
    assert segment_of({**old, "total_conversions": 1}, DEFAULT_SEGMENT_RULES, now) == "customer"
    rich = {**old, "total_conversions": 2, "lifetime_value": 25_000.0}
    assert segment_of(rich, DEFAULT_SEGMENT_RULES, now) == "high_value_repeat"


def test_rules_round_trip_through_the_config_and_bad_ones_name_their_field() -> None:
    rules = [{"name": "big", "min_ltv": 20_000, "min_storms": 3}, {"name": "rest"}]
    parsed = parse_segment_rules(rules)
    assert parsed == (SegmentRule("big", min_ltv=20_000, min_storms=3), SegmentRule("rest"))
    assert ProfileConfig(segment_rules=parsed).as_dict()["segment_rules"] == rules
    for bad, field in (([{"name": "x", "min_ltv": float("nan")}], "segment_rules.0.min_ltv"),
                       ([{"name": "x", "max_storms": True}], "segment_rules.0.max_storms"),
                       (["x"], "segment_rules.0"),
                       ({"name": "x"}, "segment_rules")):
        with pytest.raises(InvalidInput) as err:
            parse_segment_rules(bad)
        assert err.value.field == field


def test_channels_are_distinct_lower_case_names() -> None:
    assert parse_channels(["sms", "door_knock"]) == ("sms", "door_knock")
    for bad, field in ((["sms", "sms"], "channels"), ([], "channels"),
                       (["sms", "Door"], "channels.1"), (["a-b"], "channels.0")):
        with pytest.raises(InvalidInput) as err:
            parse_channels(bad)
        assert err.value.field == field


def test_an_identity_without_events_falls_in_the_segment_of_an_empty_profile() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert empty_profile("i1", DEFAULT_SEGMENT_RULES, now)["segment"] is None
    anyone = (SegmentRule("anyone"),)
    profile = empty_profile("i1", anyone, now)
    assert (profile["identity_id"], profile["lifetime_value"], profile["segment"]) == \
        ("i1", 0.0, "anyone")
