"""Behavioral profiles: what an identity's journeys add up to, kept exact on every change.

A profile is a pure function of the identity's journeys, and a journey of its events, so it is
never adjusted in place: every transaction that changes an identity's events (an event
appended, a merge, an unmerge) recomputes the journeys it touched from their events
(`journey/recompute_journeys`) and then the profiles of the identities involved, before it
commits. Replaying the same events therefore always gives the same profile, whatever the
order they arrived in or the merges in between.

Profile fields (computed by `profile/recompute_profiles`):

    total_storms       journeys, i.e. distinct storms the identity has events in
    total_conversions  conversion events over all journeys
    lifetime_value     revenue of those conversions, in dollars rounded to cents
    avg_sii_score      mean over journeys of the journey's storm impact index (journeys
                       without one are left out; null when none has one)
    avg_uplift         mean over journeys of the journey's uplift score (likewise)
    primary_channel    channel of the most touches; ties go to the one touched most recently,
                       then to the alphabetically first
    segment            the first of the tenant's segment rules the profile matches
    last_updated       when the profile was last recomputed
    (also storms, total_touches, total_cost, first_seen, last_event_at)

Segments: an ordered list of rules per tenant, first match wins, none matching gives null.
Each rule bounds lifetime value, conversions and storms and may ask for inactivity (no event
for at least `min_inactive_days` as of the evaluation). The rules are `core.segments`; the
defaults (`DEFAULT_SEGMENT_RULES`):

    high_value_repeat   >= 2 conversions and lifetime value >= $25,000
    customer            >= 1 conversion
    dormant             no event for 365 days or more (and, by the order, no conversion)
    storm_new           exactly one storm, no conversion
    returning_prospect  two or more storms, no conversion

A stored segment is as of `last_updated`; dormancy comes with time alone, so
`BehavioralProfileService.get_segment` evaluates the rules as of now, and `refresh_segments`
rewrites the stored segments of a tenant (run it daily, and it runs when rules change).
The rules are evaluated in Cypher when a profile is recomputed and by `SegmentRule.matches`
in Python for those two; the tests hold the two readings together.

Targeting (`BehavioralProfileService.target`, `core.targeting.TargetQuery`) walks an index on
(tenant_id, ltv_rank) or (tenant_id, segment, ltv_rank), where ltv_rank is the lifetime value
in cents on 15 digits, '|', the identity id: highest value first, ties by identity id, and a
page's cursor is the last rank it showed, so every page is one short index walk.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from stormops.core.segments import (
    ProfileConfig,
    parse_channels,
    parse_segment_rules,
    segment_of,
)
from stormops.core.targeting import TargetQuery
from stormops.graph._identifiers import check_tenant
from stormops.graph._profiles import (
    AsyncProfileReader,
    all_profiles,
    read_config,
    read_profile,
    recompute_journeys,
    recompute_profiles,
    set_segments,
    shape_journeys,
    shape_page,
    shape_profile,
    store_config,
    target_query,
)
from stormops.graph._store import GraphStore
from stormops.graph.journeys import JourneyGraph

_BATCH = 5_000  # segments rewritten per transaction

__all__ = [
    "AsyncProfileReader",
    "BehavioralProfileService",
    "read_config",
    "recompute_journeys",
    "recompute_profiles",
    "shape_journeys",
    "shape_page",
    "shape_profile",
]


class BehavioralProfileService(GraphStore):
    """The roadmap's BehavioralProfileService over one Neo4j database.

    Args:
        driver: an open driver; the caller closes it.
        database: the Neo4j database name.
        phone_region: region for phone numbers written without a country code (events).

    Example:
        >>> profiles = BehavioralProfileService(driver, "neo4j")
        >>> event = {"event_id": "e1", "kind": "conversion", "storm_id": "S1",
        ...          "ts": "2024-05-02T10:00:00Z", "revenue": 14000}
        >>> profiles.update_profile("acme", iid, event)["total_conversions"]
        1
        >>> profiles.get_lifetime_value("acme", iid)
        14000.0
    """

    def get_profile(self, tenant: str, identity_id: str) -> dict[str, Any]:
        """The identity's profile (a merged id answers with its survivor's).

        An identity without events has an all-zero profile (not stored).

        Raises:
            NotFound: no such identity in this tenant.
        """
        check_tenant(tenant)
        row, config = self._read(read_profile, tenant, identity_id)
        return shape_profile(identity_id, row, config)

    def update_profile(self, tenant: str, identity_id: str,
                       event: Mapping[str, Any]) -> dict[str, Any]:
        """Record one event for a known identity and return its updated profile.

        The event is an event of `graph.journeys` (event_id, kind, storm_id, ts, channel, ...)
        without identifiers; it is appended to the identity's journey for the storm and the
        profile recomputed, in one transaction. A duplicate event id changes nothing.

        Raises:
            InvalidInput: a bad event, naming the field.
            NotFound: no such identity in this tenant.
        """
        journeys = JourneyGraph(self.driver, self.database, self.phone_region)
        result = journeys.record_events(tenant, [{**event, "identity_id": identity_id}])
        live = result.outcomes[0].identity_id
        return result.profiles.get(live) or self.get_profile(tenant, live)

    def get_segment(self, tenant: str, identity_id: str) -> str | None:
        """The identity's segment under the tenant's rules, evaluated as of now."""
        check_tenant(tenant)
        row, config = self._read(read_profile, tenant, identity_id)
        profile = shape_profile(identity_id, row, config)
        return segment_of(profile, config.segment_rules, datetime.now(UTC))

    def get_lifetime_value(self, tenant: str, identity_id: str) -> float:
        """Revenue of the identity's conversions, in dollars."""
        return self.get_profile(tenant, identity_id)["lifetime_value"]

    def target(self, tenant: str, query: TargetQuery) -> dict[str, Any]:
        """A page of profiles, highest lifetime value first: {items, next_cursor}.

        Raises:
            InvalidInput: a bound out of range or a cursor not from a previous page.
        """
        name, params = target_query(query, tenant)
        return shape_page(self._rows(name, params), query.limit)

    def config(self, tenant: str) -> ProfileConfig:
        """The tenant's channels and segment rules (the defaults unless set)."""
        check_tenant(tenant)
        return self._read(read_config, tenant)

    def set_config(self, tenant: str, channels: object | None = None,
                   segment_rules: object | None = None) -> ProfileConfig:
        """Set the tenant's channels and/or segment rules (validated), then re-segment its
        profiles under the new rules.

        Raises:
            InvalidInput: naming the bad field (`channels.3`, `segment_rules.1.min_ltv`).
        """
        check_tenant(tenant)
        current = self.config(tenant)
        config = ProfileConfig(
            parse_channels(channels) if channels is not None else current.channels,
            parse_segment_rules(segment_rules) if segment_rules is not None
            else current.segment_rules)
        rules_json = json.dumps(config.as_dict()["segment_rules"])
        self._write(store_config, tenant, list(config.channels), rules_json)
        if segment_rules is not None:
            self.refresh_segments(tenant)
        return config

    def refresh_segments(self, tenant: str, now: datetime | None = None) -> int:
        """Re-evaluate every stored segment of the tenant as of `now`; returns how many changed."""
        check_tenant(tenant)
        now = now or datetime.now(UTC)
        rows, config = self._read(all_profiles, tenant)
        changed = []
        for row in rows:
            segment = segment_of(row, config.segment_rules, now)
            if segment != row.get("segment"):
                changed.append({"identity_id": row["identity_id"], "segment": segment})
        for start in range(0, len(changed), _BATCH):
            self._write(set_segments, tenant, changed[start:start + _BATCH], now)
        return len(changed)


