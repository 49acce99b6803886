"""How an identifier is looked up: which queries to run, shared by the sync and async paths."""

from __future__ import annotations

from dataclasses import dataclass

from stormops.core.errors import InvalidInput
from stormops.graph._identifiers import candidate_keys, normalize_value, property_key


@dataclass(frozen=True)
class Lookup:
    """One query (by name) and its parameters; its first row's identity_id answers."""

    query: str
    params: dict


def resolve_lookups(
    tenant: str, identifier: object, type_: str | None, region: str
) -> list[Lookup]:
    """Lookups to try in order; the first that finds an identity answers.

    Raises:
        InvalidInput: empty value, unknown type, or a value invalid for its type.
    """
    if identifier is None or not str(identifier).strip():
        raise InvalidInput("identifier: expected a non-empty value", field="identifier")
    type_ = type_ or None  # an empty type (`?type=`) is no type: every type the value could be
    if type_ == "property_id":
        key = property_key(tenant, normalize_value(type_, identifier, region))
        return [Lookup("identity/resolve_property", {"key": key})]
    if type_ == "identity_id":
        value = normalize_value(type_, identifier, region)
        return [Lookup("identity/resolve_id", {"tenant": tenant, "identity_id": value})]
    keys = candidate_keys(tenant, identifier, type_, region)
    if type_ is not None:
        return [Lookup("identity/resolve_key", {"key": keys[0]})]
    lookups = [Lookup("identity/resolve_keys", {"keys": keys})] if keys else []
    bare = str(identifier).strip().lower()
    return [*lookups, Lookup("identity/resolve_id", {"tenant": tenant, "identity_id": bare})]


@dataclass(frozen=True)
class BatchLookup:
    """Typed identifiers grouped into one query per kind; `errors` holds refused items."""

    keys: list[str]
    property_keys: list[str]
    identity_ids: list[str]
    slots: list[tuple[str, str] | None]  # per item: (kind, lookup value), None when refused
    errors: dict[int, InvalidInput]


def batch_lookup(tenant: str, items: list[tuple[str, object]], region: str) -> BatchLookup:
    """Plan a batch of (type, value) lookups; a bad item is reported, the rest go ahead."""
    keys, props, ids, slots, errors = [], [], [], [], {}
    for pos, (type_, value) in enumerate(items):
        try:
            [lookup] = resolve_lookups(tenant, value, type_, region)
        except InvalidInput as exc:
            errors[pos] = exc
            slots.append(None)
            continue
        if lookup.query == "identity/resolve_property":
            props.append(lookup.params["key"])
            slots.append(("property", lookup.params["key"]))
        elif lookup.query == "identity/resolve_id":
            ids.append(lookup.params["identity_id"])
            slots.append(("identity", lookup.params["identity_id"]))
        else:
            keys.append(lookup.params["key"])
            slots.append(("identifier", lookup.params["key"]))
    return BatchLookup(keys, props, ids, slots, errors)


def batch_answers(plan: BatchLookup, found: dict[tuple[str, str], str]) -> list[str | None]:
    """Each item's identity from the rows the three batch queries returned."""
    return [None if slot is None else found.get(slot) for slot in plan.slots]
