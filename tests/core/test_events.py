"""The event and storm parsers alone: normalized values, and the field named on refusal."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from stormops.core.errors import InvalidInput
from stormops.core.events import EVENT_COLUMNS, parse_event, parse_storm, row_to_event

CHANNELS = ("sms", "door_knock")


def test_an_event_is_normalized_and_its_person_read_from_its_identifiers() -> None:
    event = parse_event({"event_id": " e1 ", "kind": "conversion", "storm_id": "S1",
                         "ts": "2024-05-01T10:00:00", "revenue": "1200.5",
                         "identifiers": {"email": "Jo@Example.com", "property_id": "p-1"}},
                        CHANNELS)
    assert (event.event_id, event.kind, event.revenue, event.cost) == ("e1", "conversion",
                                                                      1200.5, None)
    assert event.ts == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert event.person is not None and event.person.values == {"email": "jo@example.com"}
    assert event.props()["property_id"] == event.person.property_id
    touch = parse_event({"event_id": "e2", "storm_id": "S1", "ts": "2024-05-01T10:00:00Z",
                         "channel": "SMS", "identity_id": "i-1"}, CHANNELS)
    assert (touch.kind, touch.channel, touch.person, touch.identity_id) == ("touch", "sms",
                                                                           None, "i-1")


@pytest.mark.parametrize("bad, field", [
    ({"colour": "red"}, "events.3.colour"),
    ({"kind": "sale"}, "events.3.kind"),
    ({"ts": "2200-01-01T00:00:00"}, "events.3.ts"),
    ({"channel": "fax"}, "events.3.channel"),
    ({"revenue": 5}, "events.3.revenue"),
    ({"cost": -1}, "events.3.cost"),
    ({"sii": float("nan")}, "events.3.sii"),
    ({"identifiers": {"email": "not-an-email"}}, "events.3.identifiers.email"),
    ({"identifiers": {}, "identity_id": "i-1"}, "events.3.identifiers"),
])
def test_a_bad_event_names_its_field(bad: dict, field: str) -> None:
    raw = {"event_id": "e1", "storm_id": "S1", "ts": "2024-05-01T10:00:00", "channel": "sms",
           "identifiers": {"email": "jo@example.com"}, **bad}
    with pytest.raises(InvalidInput) as err:
        parse_event(raw, CHANNELS, where="events.3.")
    assert err.value.field == field, err.value.message


def test_a_flat_row_reads_as_an_event_with_nested_identifiers() -> None:
    row = {column: "" for column in EVENT_COLUMNS} | {
        "event_id": "e1", "storm_id": "S1", "ts": "2024-05-01", "channel": "sms",
        "email": "jo@example.com", "person_id": "truth-7"}
    assert row_to_event(row) == {"event_id": "e1", "storm_id": "S1", "ts": "2024-05-01",
                                 "channel": "sms", "identifiers": {"email": "jo@example.com"}}


def test_a_storm_is_normalized_and_a_bad_one_names_its_field() -> None:
    storm = parse_storm({"storm_id": "S1", "date": "2024-05-01", "sii": 40,
                         "properties": {"p-1": 55, "p-2": {"zip": "75201"}}})
    assert storm["date"] == date(2024, 5, 1) and storm["sii"] == 40.0
    assert [p["property_id"] for p in storm["properties"]] == ["p-1", "p-2"]
    assert storm["properties"][1] == {"property_id": "p-2", "sii": None, "zip": "75201"}
    for bad, field in (({"date": "May"}, "storms.0.date"), ({"sii": 101}, "storms.0.sii"),
                       ({"storm_id": " "}, "storms.0.storm_id")):
        with pytest.raises(InvalidInput) as err:
            parse_storm({"storm_id": "S1", **bad}, "storms.0.")
        assert err.value.field == field
