"""Identifier types and keys: which values name a person, which a household.

Values are normalized by `core.records`, the record normalizer every way in shares.

Person-level identifiers (email, mobile phone, device, national id, first name at a
phone, name+dob, name at a property) decide who someone is. A property is shared by a
household: it ties identities to a `Property`, never makes two people one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from stormops.core.errors import InvalidInput, InvalidRow
from stormops.core.normalize import (
    normalize_digits,
    normalize_email,
    normalize_phone,
    normalize_token,
)
from stormops.core.records import normalize_row

# Strongest first: when a record's identifiers point at several identities, the identity
# reached through the strongest type keeps the record.
PERSON_TYPES: tuple[str, ...] = (
    "national_id", "email", "device_id", "phone", "name_phone", "name_dob", "name_property",
)
RESOLVABLE_TYPES: tuple[str, ...] = (
    "email", "phone", "device_id", "national_id", "property_id", "identity_id",
)
INPUT_FIELDS: frozenset[str] = frozenset(
    {"email", "phone", "device_id", "national_id", "first_name", "last_name", "dob"}
)
# The columns of a record that `link_property` reads: the property plus the identifiers.
IDENTITY_FIELDS: tuple[str, ...] = ("property_id", *sorted(INPUT_FIELDS))
# Single-value types a bare string can be read as when no type is given, in resolution order.
_GUESSABLE = ("email", "phone", "device_id", "national_id")


def identifier_key(tenant: str, type_: str, value: str) -> str:
    """The unique key of an Identifier node; the tenant prefix keeps tenants apart."""
    return f"{tenant}|{type_}|{value}"


def property_key(tenant: str, property_id: str) -> str:
    return f"{tenant}|{property_id}"


@dataclass(frozen=True)
class PersonIdentifiers:
    """One person's normalized identifiers as seen on one record."""

    property_id: str | None
    values: dict[str, str]  # type -> normalized value, person-level types only
    first_name: str | None
    last_name: str | None


def check_tenant(tenant: str) -> str:
    if not isinstance(tenant, str) or not tenant.strip() or "|" in tenant or len(tenant) > 64:
        raise InvalidInput(f"tenant: expected a non-empty id without '|', got {tenant!r}",
                           field="tenant")
    return tenant


def normalize_value(type_: str, value: object, region: str = "US") -> str | None:
    """Normalize one identifier value of a single-value type."""
    match type_:
        case "email":
            return normalize_email(value)
        case "phone":
            return normalize_phone(value, region)
        case "device_id" | "property_id" | "identity_id":
            return normalize_token(value, type_)
        case "national_id":
            return normalize_digits(value, type_)
    raise InvalidInput(
        f"type: expected one of {', '.join(RESOLVABLE_TYPES)}, got {type_!r}", field="type"
    )


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


def candidate_keys(tenant: str, value: str, type_: str | None, region: str = "US") -> list[str]:
    """Identifier keys a value may stand for: one when typed, each readable type when not."""
    types = (type_,) if type_ else _GUESSABLE
    keys = []
    for candidate in types:
        try:
            normalized = normalize_value(candidate, value, region)
        except InvalidInput:
            if type_:
                raise
            continue
        if normalized is not None:
            keys.append(identifier_key(tenant, candidate, normalized))
    return keys
