"""A person's identifiers: which fields of a record or an event name someone, normalized by
`core.records` (the one record normalizer), and the identifier values they give.

Person-level identifiers (email, mobile phone, device, national id, first name at a
phone, name+dob, name at a property) decide who someone is. A property is shared by a
household: it ties identities to a `Property`, never makes two people one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from stormops.core.errors import InvalidInput, InvalidRow
from stormops.core.records import normalize_row

INPUT_FIELDS: frozenset[str] = frozenset(
    {"email", "phone", "device_id", "national_id", "first_name", "last_name", "dob"}
)
# The columns of a record that `link_property` reads: the property plus the identifiers.
IDENTITY_FIELDS: tuple[str, ...] = ("property_id", *sorted(INPUT_FIELDS))


@dataclass(frozen=True)
class PersonIdentifiers:
    """One person's normalized identifiers as seen on one record."""

    property_id: str | None
    values: dict[str, str]  # type -> normalized value, person-level types only
    first_name: str | None
    last_name: str | None


def person_identifiers(
    property_id: object, identifiers: dict[str, object], region: str | None = "US"
) -> PersonIdentifiers:
    """Normalize a record's identifiers (with `core.records`, the one record normalizer);
    unknown fields, bad values (all of them, together) and records naming nobody are refused.

    Raises:
        InvalidInput: an unknown field, or a record naming nobody.
        InvalidRow: bad values, each named.
    """
    unknown = sorted(set(identifiers) - INPUT_FIELDS)
    if unknown:
        raise InvalidInput(
            f"{unknown[0]}: unknown identifier; expected {', '.join(sorted(INPUT_FIELDS))}",
            field=unknown[0],
        )
    out = normalize_row({**identifiers, "property_id": property_id}, country=region,
                        policy="reject")
    bad = [(problem.field, problem.message) for problem in out.problems
           if problem.field != "identifiers"]
    if bad:
        raise InvalidRow(bad)
    person = record_identifiers(out.record)
    if person is None:
        raise InvalidInput(
            "identifiers: expected at least one of email, phone, device_id, national_id, "
            "or first_name + last_name with dob or a property",
            field="identifiers",
        )
    return person


def record_identifiers(record: Mapping[str, str | None]) -> PersonIdentifiers | None:
    """The person-level identifiers of a normalized record, or None when it has none.

    Example:
        >>> record_identifiers({"email": "a@b.co", "first_name": "ann"}).values
        {'email': 'a@b.co'}
    """
    prop = record.get("property_id")
    values = {type_: value for type_ in ("email", "phone", "device_id", "national_id")
              if (value := record.get(type_))}
    first, last, dob = record.get("first_name"), record.get("last_name"), record.get("dob")
    if first and "phone" in values:  # who, of a household sharing a landline
        values["name_phone"] = f"{first}|{values['phone']}"
    if first and last and dob:
        values["name_dob"] = f"{first} {last}|{dob}"
    if first and last and prop:
        values["name_property"] = f"{first} {last}|{prop}"
    if not values:
        return None
    return PersonIdentifiers(prop, values, first, last)
