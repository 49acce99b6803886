"""Events and storms as input: what an event carries, its bounds, and the parser every way
in shares (the API, a CSV load, the stream's consumer). The HTTP schema (`api.routes.events`)
reads the same bounds, so an event the API accepts is one the parser accepts.

An event (`parse_event`; a CSV row of `EVENT_COLUMNS` reads the same, flat):

    event_id   required, unique per tenant
    kind       touch (default) | conversion
    storm_id   required
    ts         ISO 8601 time (no zone: UTC), 1990-2099
    channel    one of the tenant's channels; required for a touch
    cost       >= 0, optional;  revenue: >= 0, conversions only (default 0)
    campaign, creative, play   optional text
    sii        0-100, the storm impact index where the event happened (else the property's
               IMPACTED sii, else the storm's)
    uplift     -1..1, the uplift score of the play for this person in this storm
    identifiers  {property_id, email, phone, device_id, national_id, first_name, last_name,
               dob}; or, instead, identity_id (a known identity)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from stormops.core.errors import InvalidInput
from stormops.core.identifiers import IDENTITY_FIELDS, PersonIdentifiers, person_identifiers
from stormops.core.normalize import blank_to_none, normalize_digits, normalize_token

EVENT_KINDS: tuple[str, ...] = ("touch", "conversion")
# Inclusive bounds of an event's numbers.
EVENT_BOUNDS: dict[str, tuple[float, float]] = {
    "cost": (0.0, 1e7),  # dollars spent on the touch
    "revenue": (0.0, 1e9),  # dollars of the conversion
    "sii": (0.0, 100.0),  # storm impact index
    "uplift": (-1.0, 1.0),  # uplift score of the play for the person
}
EVENT_YEARS: tuple[int, int] = (1990, 2099)  # an event's time lies in these years
EVENT_FIELDS: tuple[str, ...] = (
    "event_id", "kind", "storm_id", "ts", "channel", "cost", "revenue", "campaign", "creative",
    "play", "sii", "uplift",
)
# A CSV of events: the event fields, then the identifiers, flat.
EVENT_COLUMNS: tuple[str, ...] = (*EVENT_FIELDS, *IDENTITY_FIELDS)


@dataclass(frozen=True)
class Event:
    """One validated, normalized event."""

    event_id: str
    kind: str
    storm_id: str
    ts: datetime
    channel: str | None
    cost: float | None
    revenue: float | None
    campaign: str | None
    creative: str | None
    play: str | None
    sii: float | None
    uplift: float | None
    person: PersonIdentifiers | None
    identity_id: str | None

    def props(self) -> dict[str, Any]:
        """The fields a Touchpoint stores, but `ts` (the graph sends it as epoch seconds and
        nanoseconds: the driver packs a datetime parameter some 30 times slower)."""
        return {"event_id": self.event_id, "kind": self.kind, "storm_id": self.storm_id,
                "channel": self.channel, "cost": self.cost,
                "revenue": self.revenue, "campaign": self.campaign, "creative": self.creative,
                "play": self.play, "sii": self.sii, "uplift": self.uplift,
                "property_id": self.person.property_id if self.person else None}


def _text(raw: Mapping[str, Any], name: str, where: str, required: bool = False) -> str | None:
    try:
        value = blank_to_none(raw.get(name))
    except InvalidInput as exc:
        raise InvalidInput(f"{where}{name}: {exc.message}", field=f"{where}{name}") from None
    if value is None and required:
        raise InvalidInput(f"{where}{name}: required", field=f"{where}{name}")
    return value


def _number(raw: Mapping[str, Any], name: str, where: str) -> float | None:
    value = raw.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    low, high = EVENT_BOUNDS[name]
    try:
        number = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        number = math.nan
    if not low <= number <= high:  # also refuses NaN
        raise InvalidInput(f"{where}{name}: expected a number from {low:g} to {high:g}, "
                           f"got {value!r}", field=f"{where}{name}")
    return number


def _timestamp(raw: Mapping[str, Any], where: str) -> datetime:
    value = raw.get("ts")
    problem = f"{where}ts: expected an ISO 8601 time in {EVENT_YEARS[0]}-{EVENT_YEARS[1]}"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(f"{problem}, got {value!r}", field=f"{where}ts") from None
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if not isinstance(value, datetime) or not EVENT_YEARS[0] <= value.year <= EVENT_YEARS[1]:
        shown = value.isoformat() if isinstance(value, datetime) else repr(value)
        raise InvalidInput(f"{problem}, got {shown}", field=f"{where}ts")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_event(raw: Mapping[str, Any], channels: Sequence[str], region: str = "US",
                where: str = "") -> Event:
    """Validate and normalize one event (see the module docstring for its fields).

    Args:
        raw: the event; identifiers nested under `identifiers`, or an `identity_id`.
        channels: the tenant's channels.
        region: for phone numbers without a country code.
        where: prefix for the field named in errors, e.g. "events.3.".

    Raises:
        InvalidInput: the first problem, naming the field (`{where}identifiers.email`).
    """
    if not isinstance(raw, Mapping):
        raise InvalidInput(f"{where.rstrip('.') or 'event'}: expected an object",
                           field=where.rstrip(".") or "body")
    unknown = sorted(set(raw) - {*EVENT_FIELDS, "identifiers", "identity_id"})
    if unknown:
        raise InvalidInput(f"{where}{unknown[0]}: unknown field; expected "
                           f"{', '.join(EVENT_FIELDS)}, identifiers or identity_id",
                           field=f"{where}{unknown[0]}")
    event_id = _text(raw, "event_id", where, required=True)
    kind = _text(raw, "kind", where) or "touch"
    if kind not in EVENT_KINDS:
        raise InvalidInput(f"{where}kind: expected touch or conversion, got {kind!r}",
                           field=f"{where}kind")
    storm_id = _text(raw, "storm_id", where, required=True)
    ts = _timestamp(raw, where)
    channel = _text(raw, "channel", where, required=kind == "touch")
    if channel is not None:
        channel = channel.lower()
        if channel not in channels:
            raise InvalidInput(f"{where}channel: expected one of {', '.join(channels)}, got "
                               f"{channel!r}", field=f"{where}channel")
    revenue = _number(raw, "revenue", where)
    if kind == "touch" and revenue:
        raise InvalidInput(f"{where}revenue: only a conversion carries revenue",
                           field=f"{where}revenue")
    person, identity_id = _who(raw, region, where)
    return Event(
        event_id=event_id, kind=kind, storm_id=storm_id, ts=ts, channel=channel,
        cost=_number(raw, "cost", where),
        revenue=(revenue or 0.0) if kind == "conversion" else None,
        campaign=_text(raw, "campaign", where), creative=_text(raw, "creative", where),
        play=_text(raw, "play", where), sii=_number(raw, "sii", where),
        uplift=_number(raw, "uplift", where), person=person, identity_id=identity_id,
    )


def _who(raw: Mapping[str, Any], region: str,
         where: str) -> tuple[PersonIdentifiers | None, str | None]:
    """The event's identifiers, or the identity id it names (exactly one of the two)."""
    identifiers = raw.get("identifiers")
    identity_id = raw.get("identity_id")
    if (identifiers is None) == (identity_id is None):
        raise InvalidInput(f"{where}identifiers: expected identifiers, or an identity_id",
                           field=f"{where}identifiers")
    if identity_id is not None:
        try:
            return None, normalize_token(identity_id, "identity_id")
        except InvalidInput as exc:
            raise InvalidInput(f"{where}{exc.message}", field=f"{where}identity_id") from None
    if not isinstance(identifiers, Mapping):
        raise InvalidInput(f"{where}identifiers: expected an object",
                           field=f"{where}identifiers")
    try:
        try:
            return _person(tuple(identifiers.items()), region), None
        except TypeError:  # an unhashable value: normalize without the cache
            fields = {k: v for k, v in identifiers.items() if k != "property_id"}
            return person_identifiers(identifiers.get("property_id"), fields, region), None
    except InvalidInput as exc:
        inner = exc.field or "identifiers"
        if inner != "identifiers":  # the normalizers' messages start with the field's name
            raise InvalidInput(f"{where}identifiers.{exc.message}",
                               field=f"{where}identifiers.{inner}") from None
        raise InvalidInput(f"{where}{exc.message}", field=f"{where}identifiers") from None


@lru_cache(maxsize=65_536)
def _person(items: tuple[tuple[str, Any], ...], region: str) -> PersonIdentifiers:
    """`person_identifiers`, cached: a bulk load repeats each sighting's identifiers on each
    of its events, and normalizing them (phone numbers above all) is the costly part."""
    fields = {k: v for k, v in items if k != "property_id"}
    return person_identifiers(dict(items).get("property_id"), fields, region)


def row_to_event(row: Mapping[str, Any]) -> dict[str, Any]:
    """A flat row (CSV columns `EVENT_COLUMNS`) as an event: identifiers nested, blanks dropped.

    Columns outside `EVENT_COLUMNS` (e.g. ground truth in a sample file) are ignored.
    """
    event = {k: row[k] for k in EVENT_FIELDS if row.get(k) not in (None, "")}
    event["identifiers"] = {k: row[k] for k in IDENTITY_FIELDS if row.get(k) not in (None, "")}
    return event


def parse_storm(storm: Mapping[str, Any], where: str = "") -> dict[str, Any]:
    """Validate and normalize one storm: {storm_id, name?, date?, sii?, properties?: {id:
    sii, or id: {sii?, zip?}}}; returns it with `properties` as [{property_id, sii, zip}].

    Raises:
        InvalidInput: the first problem, naming the field (`{where}sii`).
    """
    if not isinstance(storm, Mapping):
        raise InvalidInput(f"{where.rstrip('.')}: expected an object", field=where.rstrip("."))
    storm_id = _text(storm, "storm_id", where, required=True)
    raw_date = storm.get("date")
    try:
        when = date.fromisoformat(raw_date) if isinstance(raw_date, str) else raw_date
    except ValueError:
        when = "bad"
    if when is not None and not isinstance(when, date):
        raise InvalidInput(f"{where}date: expected an ISO date, got {raw_date!r}",
                           field=f"{where}date")
    properties = []
    for property_id, measured in dict(storm.get("properties") or {}).items():
        pid = normalize_token(property_id, "property_id")
        at = f"{where}properties.{property_id}."
        measured = measured if isinstance(measured, Mapping) else {"sii": measured}
        properties.append({"property_id": pid, "sii": _number(measured, "sii", at),
                           "zip": normalize_digits(blank_to_none(measured.get("zip")), "zip")})
    return {"storm_id": storm_id, "name": _text(storm, "name", where), "date": when,
            "sii": _number(storm, "sii", where), "properties": properties}
