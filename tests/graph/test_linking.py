"""`graph._linking.settled_people` alone: who a re-link would leave untouched."""

from __future__ import annotations

from stormops.core.identifiers import person_identifiers
from stormops.graph._identifiers import identifier_key, property_key
from stormops.graph._linking import Owner, plan_links, settled_people

T = "acme"


def person(property_id: str | None = "P1", **fields: str):
    return person_identifiers(property_id, fields, "US")


def owned(people, identity_id: str = "I1", first_name: str | None = "jo"):
    return {identifier_key(T, t, v): Owner(identity_id, first_name)
            for p in people for t, v in p.values.items()}


def test_a_fully_linked_person_is_settled_on_their_identity() -> None:
    jo = person(email="jo@x.com", phone="214-555-0100", first_name="Jo")
    got = settled_people(T, [jo], owned([jo]), {property_key(T, "p1"): "I1"},
                         {(property_key(T, "p1"), "I1")})
    assert got == ["I1"]


def test_anything_a_link_would_write_unsettles_the_person() -> None:
    jo = person(email="jo@x.com", phone="214-555-0100", first_name="Jo")
    pkey = property_key(T, "p1")
    owners = owned([jo])
    new_phone = person(email="jo@x.com", phone="214-555-0111", first_name="Jo")
    split = {**owners, identifier_key(T, "phone", jo.values["phone"]): Owner("I2", "jo")}
    email_only = person(None, email="jo@x.com")
    household = person(phone="214-555-0100", first_name="Sam")
    cases = [
        ([new_phone], owners, {pkey: "I1"}, {(pkey, "I1")}),  # an unlinked phone
        ([jo], split, {pkey: "I1"}, {(pkey, "I1"), (pkey, "I2")}),  # two identities: review
        ([jo], owners, {pkey: "I1"}, set()),  # property not tied to I1 yet
        ([jo], owners, {pkey: None}, {(pkey, "I1")}),  # property without an owner
        ([household], owners, {pkey: "I1"}, {(pkey, "I1")}),  # a household line: new person
    ]
    for people, who, property_owners, ties in cases:
        assert settled_people(T, people, who, property_owners, ties) == [None]
        plan = plan_links(T, people, dict(who), dict(property_owners))
        wrote = plan.new or plan.existing or plan.reviews or any(
            (tie["key"], tie["identity_id"]) not in ties or tie["owns"] and
            property_owners[tie["key"]] is None for tie in plan.ties)
        assert wrote
    assert settled_people(T, [email_only], owners, {}, set()) == ["I1"]


def test_settling_leaves_the_callers_owners_untouched() -> None:
    jo = person(email="jo@x.com", first_name="Jo")
    stranger = person(email="new@x.com")
    owners, property_owners = owned([jo]), {property_key(T, "p1"): None}
    before = (dict(owners), dict(property_owners))
    assert settled_people(T, [stranger, jo], owners, property_owners, set()) == [None, None]
    assert (owners, property_owners) == before


def test_within_a_batch_an_owner_carries_its_identitys_founding_name() -> None:
    """As the graph does (an identity keeps its founder's first name): a typo'd first name
    joining by email must not make the phone it brings read as a household line for the
    founder's next record — else one batch and three batches of these rows would differ."""
    founder = person(email="aaliyah@x.com", first_name="Aaliyah")
    typo = person(email="aaliyah@x.com", phone="720-880-9425", first_name="Aailyah")
    again = person(phone="720-880-9425", first_name="Aaliyah")
    outcomes = plan_links(T, [founder, typo, again], {}, {}).outcomes
    assert [outcome for _, outcome in outcomes] == ["created", "linked", "linked"]
    assert len({identity_id for identity_id, _ in outcomes}) == 1
