"""Segment rules and a tenant's profile config: which segment a profile falls in, and the
validation of the rules and channels a tenant sets. Pure; `graph.profiles` stores them and
`profile/recompute_profiles` evaluates the same rules in Cypher (the tests hold the two
readings together)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from stormops.core.errors import InvalidInput

DEFAULT_CHANNELS: tuple[str, ...] = (
    "door_knock", "sms", "email", "paid_search", "social", "direct_mail", "referral",
    "call_center",
)


@dataclass(frozen=True)
class SegmentRule:
    """One segment: a profile belongs to it when every bound given holds.

    Bounds are inclusive; None means unbounded. `min_inactive_days` asks that the latest
    event be at least that many days before the evaluation time.
    """

    name: str
    min_ltv: float | None = None
    max_ltv: float | None = None
    min_conversions: int | None = None
    max_conversions: int | None = None
    min_storms: int | None = None
    max_storms: int | None = None
    min_inactive_days: int | None = None

    def matches(self, profile: Mapping[str, Any], now: datetime) -> bool:
        ltv, conv, storms = (profile["lifetime_value"], profile["total_conversions"],
                             profile["total_storms"])
        checks = (
            self.min_ltv is None or ltv >= self.min_ltv,
            self.max_ltv is None or ltv <= self.max_ltv,
            self.min_conversions is None or conv >= self.min_conversions,
            self.max_conversions is None or conv <= self.max_conversions,
            self.min_storms is None or storms >= self.min_storms,
            self.max_storms is None or storms <= self.max_storms,
            self.min_inactive_days is None or (
                profile.get("last_event_at") is not None
                and now - profile["last_event_at"] >= timedelta(days=self.min_inactive_days)),
        )
        return all(checks)


DEFAULT_SEGMENT_RULES: tuple[SegmentRule, ...] = (
    SegmentRule("high_value_repeat", min_conversions=2, min_ltv=25_000),
    SegmentRule("customer", min_conversions=1),
    SegmentRule("dormant", min_inactive_days=365),
    SegmentRule("storm_new", min_storms=1, max_storms=1, max_conversions=0),
    SegmentRule("returning_prospect", min_storms=2, max_conversions=0),
)

_RULE_FIELDS = {f.name: f for f in fields(SegmentRule)}
_INT_BOUNDS = {"min_conversions", "max_conversions", "min_storms", "max_storms",
               "min_inactive_days"}


def parse_segment_rules(raw: object) -> tuple[SegmentRule, ...]:
    """Validate a rule list (as stored or sent): [{name, bounds...}], names unique.

    Raises:
        InvalidInput: naming the rule and field at fault, e.g. `segment_rules.2.min_ltv`.
    """
    if not isinstance(raw, list) or not raw or len(raw) > 50:
        raise InvalidInput("segment_rules: expected a list of 1 to 50 rules",
                           field="segment_rules")
    rules, names = [], set()
    for pos, item in enumerate(raw):
        where = f"segment_rules.{pos}"
        if not isinstance(item, Mapping):
            raise InvalidInput(f"{where}: expected an object", field=where)
        unknown = sorted(set(item) - set(_RULE_FIELDS))
        if unknown:
            raise InvalidInput(f"{where}.{unknown[0]}: unknown field; expected "
                               f"{', '.join(_RULE_FIELDS)}", field=f"{where}.{unknown[0]}")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 64 or name in names:
            raise InvalidInput(f"{where}.name: expected a unique non-empty name",
                               field=f"{where}.name")
        names.add(name)
        bounds: dict[str, Any] = {}
        for key, value in item.items():
            if key == "name" or value is None:
                continue
            is_int = isinstance(value, int) and not isinstance(value, bool)
            is_num = is_int or (isinstance(value, float) and math.isfinite(value))
            if not is_num or not 0 <= value <= 1e15 or (key in _INT_BOUNDS and not is_int):
                kind = "a whole number" if key in _INT_BOUNDS else "a number"
                raise InvalidInput(f"{where}.{key}: expected {kind} from 0 to 1e15, got "
                                   f"{value!r}", field=f"{where}.{key}")
            bounds[key] = value
        rules.append(SegmentRule(name=name.strip(), **bounds))
    return tuple(rules)


def segment_of(profile: Mapping[str, Any], rules: Sequence[SegmentRule],
               now: datetime) -> str | None:
    """The first rule the profile matches, or None."""
    return next((rule.name for rule in rules if rule.matches(profile, now)), None)


def empty_profile(identity_id: str, rules: Sequence[SegmentRule], now: datetime) -> dict:
    """The profile of an identity with no events yet (nothing is stored for it)."""
    profile: dict[str, Any] = {
        "identity_id": identity_id, "total_storms": 0, "total_conversions": 0,
        "lifetime_value": 0.0, "avg_sii_score": None, "avg_uplift": None,
        "primary_channel": None, "storms": [], "total_touches": 0, "total_cost": 0.0,
        "first_seen": None, "last_event_at": None, "last_updated": None,
    }
    profile["segment"] = segment_of(profile, rules, now)
    return profile


@dataclass(frozen=True)
class ProfileConfig:
    """A tenant's event channels and segment rules."""

    channels: tuple[str, ...] = DEFAULT_CHANNELS
    segment_rules: tuple[SegmentRule, ...] = DEFAULT_SEGMENT_RULES

    def as_dict(self) -> dict[str, Any]:
        return {"channels": list(self.channels),
                "segment_rules": [{k: v for k, v in asdict(r).items() if v is not None}
                                  for r in self.segment_rules]}


def parse_channels(raw: object) -> tuple[str, ...]:
    """Validate a channel list: 1-50 distinct lower-case names ([a-z0-9_], up to 64 chars)."""
    ok = isinstance(raw, list) and 0 < len(raw) <= 50 and len(set(map(str, raw))) == len(raw)
    if ok:
        for pos, name in enumerate(raw):
            if (not isinstance(name, str) or not name or len(name) > 64
                    or not all(c.isascii() and (c.isalnum() or c == "_") for c in name)
                    or name != name.lower()):
                raise InvalidInput(f"channels.{pos}: expected a lower-case name of letters, "
                                   f"digits and _, got {name!r}", field=f"channels.{pos}")
        return tuple(raw)
    raise InvalidInput("channels: expected a list of 1 to 50 distinct names", field="channels")
