"""Behavioral profiles against a real Neo4j: arithmetic, segments, merges and unmerges kept
exact, targeting pages, tenant isolation."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from neo4j import Driver

from stormops.core.errors import InvalidInput, NotFound
from stormops.core.segments import DEFAULT_SEGMENT_RULES, parse_segment_rules
from stormops.core.targeting import TargetQuery
from stormops.graph import IdentityGraph
from stormops.graph.journeys import JourneyGraph
from stormops.graph.profiles import BehavioralProfileService
from tests.graph.reference import comparable, expected_journeys, expected_profile

T0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def ev(event_id: str, storm: str, day: float, kind: str = "touch", channel: str | None = None,
       who: str | None = "jo@example.com", **extra) -> dict:
    event = {"event_id": event_id, "kind": kind, "storm_id": storm,
             "ts": (T0 + timedelta(days=day)).isoformat(), **extra}
    if channel:
        event["channel"] = channel
    if who:
        event["identifiers"] = {"email": who}
    return event


# A hand-checked example: two storms, three conversions, a tie between two channels.
JO = [
    ev("e1", "S1", 0, channel="door_knock", cost=18.0, sii=40.0, uplift=0.3, play="aggressive"),
    ev("e2", "S1", 1, channel="sms", cost=0.05),
    ev("e3", "S1", 4, "conversion", revenue=12_000.50),
    ev("e4", "S2", 31, channel="door_knock", cost=18.0, sii=80.0),
    ev("e5", "S2", 32, channel="sms"),
    ev("e6", "S2", 40, "conversion", revenue=8_000.25),
    ev("e7", "S2", 50, "conversion", channel="call_center", revenue=1_000.0),
]


@pytest.fixture
def journeys(driver: Driver, settings) -> JourneyGraph:
    return JourneyGraph(driver, settings.neo4j_database)


@pytest.fixture
def profiles(driver: Driver, settings) -> BehavioralProfileService:
    return BehavioralProfileService(driver, settings.neo4j_database)


def test_profile_arithmetic_matches_a_hand_computed_example(
    journeys: JourneyGraph, profiles: BehavioralProfileService, tenant: str
) -> None:
    # S2's events arrive newest first: order comes from the times, not the arrival.
    result = journeys.record_events(tenant, JO[:3] + JO[3:][::-1])
    [iid] = {o.identity_id for o in result.outcomes}
    profile = profiles.get_profile(tenant, iid)
    assert profile["total_storms"] == 2
    assert profile["total_conversions"] == 3
    assert profile["lifetime_value"] == 21_000.75  # 12,000.50 + 8,000.25 + 1,000.00
    assert profile["avg_sii_score"] == 60.0  # S1 40, S2 80
    assert profile["avg_uplift"] == 0.3  # only S1 has one
    # door_knock and sms have two touches each; sms's last (day 32) is the later one
    assert profile["primary_channel"] == "sms"
    assert profile["total_touches"] == 4 and profile["total_cost"] == 36.05
    assert profile["first_seen"] == T0 and profile["last_event_at"] == T0 + timedelta(days=50)
    assert profile["storms"] == ["S1", "S2"]
    assert profile["segment"] == "customer"  # 3 conversions but $21,000.75 < $25,000
    assert result.profiles[iid]["lifetime_value"] == 21_000.75  # as the transaction returned
    assert profiles.get_lifetime_value(tenant, iid) == 21_000.75

    [s1, s2] = journeys.journeys(tenant, iid)["journeys"]
    assert s1["channels"] == ["door_knock", "sms"] and s1["converted"] is True
    assert s1["revenue"] == 12_000.5 and s1["converted_at"] == T0 + timedelta(days=4)
    assert s1["play"] == "aggressive" and s1["uplift_score"] == 0.3
    assert [e["event_id"] for e in s2["events"]] == ["e4", "e5", "e6", "e7"]
    assert s2["channels"] == ["door_knock", "sms"] and s2["conversions"] == 2

    # a fourth conversion lifts it over $25,000: high-value repeat
    after = profiles.update_profile(tenant, iid, {k: v for k, v in ev(
        "e8", "S2", 60, "conversion", revenue=5_000.0, who=None).items()})
    assert after["lifetime_value"] == 26_000.75 and after["segment"] == "high_value_repeat"
    assert comparable(profiles.get_profile(tenant, iid)) == comparable(
        expected_profile(JO + [ev("e8", "S2", 60, "conversion", revenue=5_000.0)]))


def test_identity_without_events_has_an_empty_profile(
    graph: IdentityGraph, profiles: BehavioralProfileService, tenant: str
) -> None:
    iid = graph.link_property(tenant, None, {"email": "quiet@example.com"})
    profile = profiles.get_profile(tenant, iid)
    assert profile["total_storms"] == 0 and profile["lifetime_value"] == 0.0
    assert profile["segment"] is None and profile["primary_channel"] is None
    with pytest.raises(NotFound):
        profiles.get_profile(tenant, "no-such-identity")
    with pytest.raises(NotFound):
        profiles.update_profile(tenant, "no-such-identity", ev("x", "S1", 0, channel="sms",
                                                               who=None))


def test_segment_rules_are_per_tenant_validated_and_applied(
    journeys: JourneyGraph, profiles: BehavioralProfileService, tenant: str, driver, settings
) -> None:
    from stormops.graph import delete_tenant

    other = f"{tenant}-b"
    try:
        for t in (tenant, other):
            journeys.record_events(t, JO)
        iid = journeys.record_event(tenant, ev("e9", "S3", 70, channel="sms"))["identity_id"]
        assert profiles.get_segment(tenant, iid) == "customer"
        rules = [{"name": "big", "min_ltv": 20_000, "min_storms": 3},
                 {"name": "everyone_else"}]
        profiles.set_config(tenant, segment_rules=rules)
        assert profiles.get_profile(tenant, iid)["segment"] == "big"  # stored ones refreshed
        assert profiles.config(tenant).segment_rules == parse_segment_rules(rules)
        [mine] = profiles.target(tenant, TargetQuery(segment="big"))["items"]
        assert mine["identity_id"] == iid
        # the other tenant keeps the defaults
        assert profiles.config(other).segment_rules == DEFAULT_SEGMENT_RULES
        assert profiles.target(other, TargetQuery(segment="big"))["items"] == []
        assert [p["segment"] for p in profiles.target(other, TargetQuery())["items"]] == [
            "customer"]
        for bad, field in (([{"name": "x", "min_ltv": -1}], "segment_rules.0.min_ltv"),
                           ([{"name": "x"}, {"name": "x"}], "segment_rules.1.name"),
                           ([{"name": "x", "min_storms": 1.5}], "segment_rules.0.min_storms"),
                           ([{"name": "x", "colour": "red"}], "segment_rules.0.colour"),
                           ([], "segment_rules")):
            with pytest.raises(InvalidInput) as err:
                profiles.set_config(tenant, segment_rules=bad)
            assert err.value.field == field
        with pytest.raises(InvalidInput) as err:
            profiles.set_config(tenant, channels=["door_knock", "Bad Name"])
        assert err.value.field == "channels.1"
        assert profiles.config(tenant).segment_rules == parse_segment_rules(rules)
    finally:
        delete_tenant(driver, settings.neo4j_database, other)


def test_refresh_segments_moves_profiles_that_went_dormant(
    journeys: JourneyGraph, profiles: BehavioralProfileService, tenant: str
) -> None:
    recent = datetime.now(UTC) - timedelta(days=3)
    out = journeys.record_event(tenant, {"event_id": "r1", "storm_id": "S9", "channel": "sms",
                                         "ts": recent.isoformat(),
                                         "identifiers": {"email": "new@example.com"}})
    assert out["profile"]["segment"] == "storm_new"
    assert profiles.refresh_segments(tenant) == 0  # computed in Cypher, re-checked in Python
    assert profiles.refresh_segments(tenant, now=recent + timedelta(days=400)) == 1
    assert profiles.get_profile(tenant, out["identity_id"])["segment"] == "dormant"


def _events_of(rows: list[dict], emails: set[str]) -> list[dict]:
    return [e for e in rows if e["identifiers"]["email"] in emails]


def _journey_sets(journeys: JourneyGraph, tenant: str, iid: str) -> dict[str, list[str]]:
    return {j["journey_id"]: [e["event_id"] for e in j["events"]]
            for j in journeys.journeys(tenant, iid)["journeys"]}


def test_merge_and_unmerge_keep_profiles_equal_to_recomputation_from_raw_events(
    graph: IdentityGraph, journeys: JourneyGraph, profiles: BehavioralProfileService,
    tenant: str,
) -> None:
    rng = random.Random(4)
    emails = ["a@example.com", "b@example.com", "c@example.com"]
    channels = ["door_knock", "sms", "email", "referral"]
    rows = []
    for n in range(36):
        who = emails[n % 3]
        kind = "conversion" if rng.random() < 0.25 else "touch"
        rows.append(ev(f"m{n}", f"S{rng.randint(1, 3)}", rng.uniform(0, 90), kind,
                       channel=rng.choice(channels) if kind == "touch" else None, who=who,
                       revenue=round(rng.uniform(1_000, 20_000), 2) if kind == "conversion"
                       else None, sii=rng.choice([None, rng.uniform(10, 90)]),
                       uplift=rng.choice([None, rng.uniform(-0.1, 0.5)])))
    rows = [{k: v for k, v in r.items() if v is not None} for r in rows]
    outcome = journeys.record_events(tenant, rows)
    ids = {r["identifiers"]["email"]: o.identity_id
           for r, o in zip(rows, outcome.outcomes, strict=True)}
    a, b, c = (ids[e] for e in emails)

    def check(expected: dict[str, set[str]]) -> None:
        for iid, owned in expected.items():
            assert comparable(profiles.get_profile(tenant, iid)) == comparable(
                expected_profile(_events_of(rows, owned))), iid

    before = {iid: _journey_sets(journeys, tenant, iid) for iid in (a, b, c)}
    check({a: {emails[0]}, b: {emails[1]}, c: {emails[2]}})

    first = graph.merge_identities(tenant, a, b, "qa", "same person")
    check({a: set(emails[:2]), c: {emails[2]}})
    assert profiles.get_profile(tenant, b)["identity_id"] == a  # old id answers with survivor
    assert _journey_sets(journeys, tenant, a).keys() == {
        f"{a}|{s}" for s in expected_journeys(_events_of(rows, set(emails[:2])))}

    second = graph.merge_identities(tenant, c, a, "qa", "same again")  # chain: b -> a -> c
    check({c: set(emails)})
    assert profiles.target(tenant, TargetQuery())["items"][0]["identity_id"] == c
    assert len(profiles.target(tenant, TargetQuery())["items"]) == 1  # merged ones drop out
    by_old_id = {"event_id": "via-b", "storm_id": "S9", "ts": "2024-09-01T08:00:00",
                 "channel": "sms", "identity_id": b}  # b's merges lead to c
    assert journeys.record_event(tenant, by_old_id)["journey_id"] == f"{c}|S9"
    rows.append({**by_old_id, "identifiers": {"email": emails[2]}})  # c keeps it on unmerge
    check({c: set(emails)})

    graph.unmerge(tenant, first, "qa", "b is someone else")  # the first, while a is in c
    check({c: {emails[0], emails[2]}, b: {emails[1]}})
    graph.unmerge(tenant, second, "qa", "undo")
    check({a: {emails[0]}, b: {emails[1]}, c: {emails[2]}})
    before[c][f"{c}|S9"] = ["via-b"]
    assert {iid: _journey_sets(journeys, tenant, iid) for iid in (a, b, c)} == before


def test_events_after_a_merge_stay_with_the_survivor_on_unmerge(
    graph: IdentityGraph, journeys: JourneyGraph, profiles: BehavioralProfileService,
    tenant: str,
) -> None:
    a = journeys.record_event(tenant, ev("x1", "S1", 0, channel="sms", who="a@x.com"))
    b = journeys.record_event(tenant, ev("x2", "S1", 1, channel="email", who="b@x.com"))
    event = graph.merge_identities(tenant, a["identity_id"], b["identity_id"], "qa", "same")
    late = journeys.record_event(tenant, ev("x3", "S1", 2, "conversion", revenue=900.0,
                                            who="b@x.com"))
    assert late["identity_id"] == a["identity_id"]  # b's email now resolves to the survivor
    assert late["profile"]["total_touches"] == 2 and late["profile"]["lifetime_value"] == 900.0
    graph.unmerge(tenant, event, "qa", "undo")
    # like links made after a merge, the event stays with the survivor; b gets back its own
    assert profiles.get_profile(tenant, a["identity_id"])["lifetime_value"] == 900.0
    assert profiles.get_profile(tenant, b["identity_id"])["total_touches"] == 1


def test_targeting_pages_filters_and_tenant_isolation(
    journeys: JourneyGraph, profiles: BehavioralProfileService, tenant: str, driver, settings
) -> None:
    from stormops.graph import delete_tenant

    rng = random.Random(9)
    rows, values = [], {}
    for n in range(23):
        who = f"p{n}@example.com"
        storm = "S1" if n % 2 else "S2"
        rows.append(ev(f"t{n}", storm, n, channel="sms", who=who))
        if n % 5:  # some never convert; several share a value (ties break by identity id)
            value = float(rng.choice([1_000, 60_000, 75_000.5, 120_000]))
            rows.append(ev(f"c{n}", storm, n + 1, "conversion", revenue=value, who=who))
            values[who] = value
    result = journeys.record_events(tenant, rows)
    other = f"{tenant}-b"
    try:
        journeys.record_events(other, rows[:4])
        by_email = {r["identifiers"]["email"]: o.identity_id
                    for r, o in zip(rows, result.outcomes, strict=True)}
        everyone = sorted(((values.get(e, 0.0), iid) for e, iid in by_email.items()),
                          reverse=True)

        def walk(query: TargetQuery) -> list[tuple[float, str]]:
            seen, cursor = [], None
            while True:
                page = profiles.target(tenant, TargetQuery(**{**query.__dict__,
                                                             "cursor": cursor}))
                assert len(page["items"]) <= query.limit
                seen += [(p["lifetime_value"], p["identity_id"]) for p in page["items"]]
                if not (cursor := page["next_cursor"]):
                    return seen

        assert walk(TargetQuery(limit=4)) == everyone
        assert walk(TargetQuery(min_ltv=50_000, limit=3)) == [x for x in everyone
                                                               if x[0] >= 50_000]
        in_s1 = {o.identity_id for r, o in zip(rows, result.outcomes, strict=True)
                 if r["storm_id"] == "S1"}
        assert walk(TargetQuery(storm_id="S1", limit=5)) == [x for x in everyone
                                                             if x[1] in in_s1]
        customers = walk(TargetQuery(segment="customer", min_ltv=60_000, limit=2))
        assert customers == [x for x in everyone if x[0] >= 60_000]
        theirs = profiles.target(other, TargetQuery())["items"]
        assert {p["identity_id"] for p in theirs}.isdisjoint(by_email.values())
        assert len(theirs) == 3  # p0, p1, p2
        for bad, field in ((TargetQuery(cursor="not-a-cursor"), "cursor"),
                           (TargetQuery(min_ltv=-1), "min_ltv"),
                           (TargetQuery(min_ltv=float("nan")), "min_ltv"),
                           (TargetQuery(limit=0), "limit")):
            with pytest.raises(InvalidInput) as err:
                profiles.target(tenant, bad)
            assert err.value.field == field
        with pytest.raises(NotFound):
            profiles.get_profile(other, by_email["p1@example.com"])
    finally:
        delete_tenant(driver, settings.neo4j_database, other)
