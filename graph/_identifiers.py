"""Identifier types and keys: how the graph keys identifiers and properties, and which
types a bare value may be looked up as. What a person's identifiers are is
`core.identifiers`."""

from __future__ import annotations

from stormops.core.errors import InvalidInput
from stormops.core.normalize import (
    normalize_digits,
    normalize_email,
    normalize_phone,
    normalize_token,
)

# Strongest first: when a record's identifiers point at several identities, the identity
# reached through the strongest type keeps the record.
PERSON_TYPES: tuple[str, ...] = (
    "national_id", "email", "device_id", "phone", "name_phone", "name_dob", "name_property",
)
RESOLVABLE_TYPES: tuple[str, ...] = (
    "email", "phone", "device_id", "national_id", "property_id", "identity_id",
)
# Single-value types a bare string can be read as when no type is given, in resolution order.
_GUESSABLE = ("email", "phone", "device_id", "national_id")


def identifier_key(tenant: str, type_: str, value: str) -> str:
    """The unique key of an Identifier node; the tenant prefix keeps tenants apart."""
    return f"{tenant}|{type_}|{value}"


def property_key(tenant: str, property_id: str) -> str:
    return f"{tenant}|{property_id}"


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
