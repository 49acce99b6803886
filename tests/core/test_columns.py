"""`core.columns`: a file's columns mapped by name, by content and by `--map`."""

import pytest

from stormops.core.columns import map_columns, parse_maps
from stormops.core.errors import InvalidInput

HAND_WRITTEN = ["First Name", "Surname", "E-mail", "Mobile", "Street", "Zip", "DOB"]


def _targets(mapping) -> list[tuple[str, str | None, str]]:
    return [(c.name, c.target, c.how) for c in mapping.choices]


def test_common_spellings_map_by_name() -> None:
    mapping = map_columns(HAND_WRITTEN, [])
    assert [c.target for c in mapping.choices] == [
        "first_name", "last_name", "email", "phone", "address", "zip", "dob"]
    assert mapping.usable and not mapping.header_is_data
    other = map_columns(["Name", "Email Address", "Customer Ref", "Postcode", "Country"], [])
    assert [c.target for c in other.choices] == [
        "full_name", "email", "record_id", "zip", "country"]


def test_columns_with_meaningless_names_map_by_their_values() -> None:
    sample = [["x@y.com", "(512) 555-0101", "03/04/1970", "12345"],
              ["q@r.com", "512.555.0102", "1970-01-01", "67890"]]
    assert _targets(map_columns(["Contact", "Reach", "Born on", "Code"], sample)) == [
        ("Contact", "email", "content"), ("Reach", "phone", "content"),
        ("Born on", "dob", "content"), ("Code", None, "unmapped")]  # bare digits: too ambiguous


def test_map_overrides_and_extra_keeps_a_column_aside() -> None:
    mapping = map_columns(HAND_WRITTEN + ["Notes"], [],
                          parse_maps(["Street=extra", "Notes=address"]))
    by_name = {c.name: (c.target, c.how) for c in mapping.choices}
    assert by_name["Street"] == (None, "unmapped") and by_name["Notes"] == ("address", "--map")
    assert mapping.rename["Street"] == "extra"


def test_a_second_column_for_one_target_is_kept_in_extra_with_the_reason() -> None:
    mapping = map_columns(["Mobile", "Home Phone", "Phone"], [])
    assert [c.target for c in mapping.choices] == ["phone", None, None]
    assert "which 'Mobile' holds" in mapping.choices[1].note


def test_repeated_and_empty_header_names_are_made_unique() -> None:
    assert map_columns(["email", "email", ""], []).names == ["email", "email (2)", "column 3"]


def test_a_first_line_of_values_is_read_as_data() -> None:
    mapping = map_columns(["ann@x.com", "512-555-0101", "Ann"], [["bo@y.com", "5125550102", "Bo"]])
    assert mapping.header_is_data
    assert _targets(mapping)[:2] == [("column 1", "email", "content"),
                                     ("column 2", "phone", "content")]


def test_a_file_of_nothing_usable_is_refused_with_what_to_do() -> None:
    mapping = map_columns(["Zip", "Notes"], [["78701", "call"]])
    assert not mapping.usable
    assert "--map" in mapping.refusal() and "'Zip', 'Notes'" in mapping.refusal()


@pytest.mark.parametrize("pairs", [["Mail"], ["=email"], ["Mail=mail_address"],
                                   ["A=email", "B=email"]])
def test_bad_maps_are_refused(pairs: list[str]) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_maps(pairs)
    assert err.value.field == "map"


def test_a_map_naming_no_column_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no such column"):
        map_columns(HAND_WRITTEN, [], {"Email Address": "email"})
