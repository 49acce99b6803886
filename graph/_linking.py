"""Deciding deterministic links for a batch of records: pure, given who owns what already.

The caller has locked every identifier and property of the batch and read their owners, so
the plan made here is what the graph will hold after the write.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stormops.core.identifiers import PersonIdentifiers
from stormops.graph._identifiers import PERSON_TYPES, identifier_key, property_key
from stormops.graph._ids import identity_id as derived_id

_RANK = {type_: rank for rank, type_ in enumerate(PERSON_TYPES)}
# Identifiers two people (almost) never share: one owned elsewhere is worth a review.
_STRONG = frozenset({"national_id", "email", "device_id"})


@dataclass
class Owner:
    identity_id: str
    first_name: str | None


@dataclass
class LinkPlan:
    """Everything one batch writes, plus each row's outcome.

    `new` and `existing` map identity ids to {identity_id, links: [{key, evidence}]} (new ones
    also carry names); both are keyed so each identity is written, and locked, once.
    """

    new: dict[str, dict] = field(default_factory=dict)
    existing: dict[str, dict] = field(default_factory=dict)
    ties: list[dict] = field(default_factory=list)
    reviews: list[dict] = field(default_factory=list)
    outcomes: list[tuple[str, str]] = field(default_factory=list)  # (identity_id, outcome)
    items_created: int = 0  # review items the write created (those queued before are kept)


def _household_phone(person: PersonIdentifiers, owner: Owner) -> bool:
    """A phone shared with someone of another first name is the household's line."""
    return (
        person.first_name is not None
        and owner.first_name is not None
        and person.first_name.split(" ")[0] != owner.first_name.split(" ")[0]
    )


def plan_links(
    tenant: str,
    people: list[PersonIdentifiers],
    owners: dict[str, Owner],
    property_owners: dict[str, str | None],
    epoch: int = 0,
) -> LinkPlan:
    """Assign each record to an identity, in order, updating `owners` as the batch goes.

    A record joins the identity that owns its person-level identifiers, or a new one (its id
    derived from the smallest of the keys and the tenant's erasure `epoch`). When
    its identifiers point at two or more identities it joins the one reached through the
    strongest identifier and a merge candidate is queued: nothing is merged silently.
    """
    plan = LinkPlan()
    for person in people:
        keys = {t: identifier_key(tenant, t, v) for t, v in person.values.items()}
        via: dict[str, dict[str, list[str]]] = {}
        for type_, key in keys.items():
            if (owner := owners.get(key)) is not None:
                via.setdefault(owner.identity_id, {}).setdefault(type_, []).append(key)
        for identity_id in list(via):
            only_phone = set(via[identity_id]) == {"phone"}
            if only_phone and _household_phone(person, owners[keys["phone"]]):
                del via[identity_id]
        if not via:
            identity_id, outcome = derived_id(tenant, min(keys.values()), epoch), "created"
            plan.new[identity_id] = {"identity_id": identity_id, "links": [],
                                     "first_name": person.first_name,
                                     "last_name": person.last_name}
            owner = Owner(identity_id, person.first_name)
        else:
            ranked = sorted(via, key=lambda i: min(_RANK[t] for t in via[i]))
            identity_id, outcome = ranked[0], "linked"
            if len(ranked) > 1:
                outcome = "queued"
                plan.reviews.append(_merge_candidate(ranked, via, person))
            # The identity keeps its founder's name, as the graph does: a later batch reading
            # these keys back sees the same owner, so batch boundaries change nothing.
            owner = owners[next(iter(via[identity_id].values()))[0]]
        for type_, key in keys.items():
            if key not in owners:
                owners[key] = owner
                target = plan.new.get(identity_id) or plan.existing.setdefault(
                    identity_id, {"identity_id": identity_id, "links": []})
                target["links"].append({"key": key, "evidence": f"exact normalized {type_}"})
        _tie(plan, tenant, person, identity_id, property_owners)
        plan.outcomes.append((identity_id, outcome))
    return plan


def settled_people(
    tenant: str,
    people: list[PersonIdentifiers],
    owners: dict[str, Owner],
    property_owners: dict[str, str | None],
    ties: set[tuple[str, str]],
) -> list[str | None]:
    """Each person's identity when `plan_links` would write nothing for them, else None.

    A person is settled when every identifier they carry is linked to the one identity they
    would join (no new link, no review) and their property is already tied to it (`ties`
    holds (property key, identity id) pairs). Read without locks, this lets most of a bulk
    load of known people skip locking and relinking; the caller still locks the identities.
    """
    settled: list[str | None] = []
    for person in people:
        keys = [identifier_key(tenant, t, v) for t, v in person.values.items()]
        if not keys or any(key not in owners for key in keys):
            settled.append(None)
            continue
        pkey = property_key(tenant, person.property_id) if person.property_id else None
        plan = plan_links(tenant, [person], {key: owners[key] for key in keys},
                          {pkey: property_owners.get(pkey)} if pkey else {})
        identity_id, outcome = plan.outcomes[0]
        tied = pkey is None or (property_owners.get(pkey) is not None
                                and (pkey, identity_id) in ties)
        settled.append(identity_id if outcome == "linked" and tied else None)
    return settled


def attach_identifiers(
    tenant: str,
    people: list[tuple[PersonIdentifiers, str]],
    owners: dict[str, Owner],
    property_owners: dict[str, str | None],
) -> LinkPlan:
    """Link matched records' identifiers to the identities matching chose for them.

    The first identity to claim an identifier keeps it. A strong identifier (national id,
    email, device) already owned by another identity queues a merge candidate: the model
    kept the two apart, a reviewer decides. Properties tie identities as in `plan_links`.
    """
    plan = LinkPlan()
    for person, identity_id in people:
        owner = Owner(identity_id, person.first_name)
        via: dict[str, dict[str, list[str]]] = {}
        for type_, value in person.values.items():
            key = identifier_key(tenant, type_, value)
            current = owners.get(key)
            if current is None:
                owners[key] = owner
                plan.existing.setdefault(identity_id, {"identity_id": identity_id, "links": []})[
                    "links"].append({"key": key, "evidence": f"exact normalized {type_}"})
            elif current.identity_id != identity_id and type_ in _STRONG:
                via.setdefault(current.identity_id, {}).setdefault(type_, []).append(key)
        if via:
            plan.reviews.append(_merge_candidate([identity_id, *via], via, person))
        _tie(plan, tenant, person, identity_id, property_owners)
    return plan


def _tie(plan: LinkPlan, tenant: str, person: PersonIdentifiers, identity_id: str,
         property_owners: dict[str, str | None]) -> None:
    """Tie the identity to the person's property: it owns one nobody owned yet."""
    if person.property_id is not None:
        pkey = property_key(tenant, person.property_id)
        if property_owners.get(pkey) is None:
            property_owners[pkey] = identity_id
        plan.ties.append({"key": pkey, "identity_id": identity_id,
                          "owns": property_owners[pkey] == identity_id})


def _merge_candidate(
    ranked: list[str], via: dict[str, dict[str, list[str]]], person: PersonIdentifiers
) -> dict:
    evidence = {
        "reason": "split_identifiers",
        "record": person.values,
        "shared": {i: {t: [k.split("|", 2)[2] for k in ks] for t, ks in via[i].items()}
                   for i in via},
        "kept_by": ranked[0],
    }
    return {"identity_ids": ranked, "evidence": evidence}
