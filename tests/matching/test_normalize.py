import pytest

from stormops.core.errors import InvalidInput
from stormops.matching.normalize import (
    CANONICAL_COLUMNS,
    RECORD_COLUMNS,
    check_rename,
    normalize_record,
    normalize_records,
    parse_rename,
    records_columns,
)


def test_values_are_normalized_per_column() -> None:
    record, extras, problems = normalize_record({
        "record_id": " r1 ", "first_name": "JOSÉ", "last_name": "O'Brien-Smith",
        "email": "  Jose.OBrien@Example.COM ", "phone": "(214) 555-0134", "dob": "03/04/1971",
        "street_number": "12-A", "address": "12 North Oak Street", "address_2": "Apt. 4B",
        "city": "FORT  Worth", "zip": "76102-1234", "state": "Texas", "national_id": "123-45-6789",
        "property_id": "P0001", "device_id": "ABC-Def",
    })
    assert problems == [] and extras == {}
    assert record == {
        "record_id": "r1", "source": None, "first_name": "jose", "last_name": "obrien smith",
        "email": "jose.obrien@example.com", "phone": "+12145550134", "dob": "1971-03-04",
        "street_number": "12a", "address": "12 n oak st", "address_2": "4b",
        "city": "fort worth", "zip": "76102", "state": "tx", "national_id": "123456789",
        "property_id": "p0001", "device_id": "abc-def", "first_name_roots": "jose",
    }


@pytest.mark.parametrize("unit", ["Apt 4B", "apt. 4b", "Unit #4B", "#4b", "APT 4B"])
def test_unit_spellings_become_one_value(unit: str) -> None:
    assert normalize_record({"address_2": unit})[0]["address_2"] == "4b"


def test_locality_lines_are_kept_tidied_not_cut() -> None:
    assert normalize_record({"address_2": "Lakefront Retrmnt Vlge"})[0]["address_2"] == (
        "lakefront retrmnt vlge")


def test_bad_values_become_null_and_are_reported_without_stopping_the_batch() -> None:
    batch = normalize_records([
        {"record_id": "a", "email": "not-an-email", "phone": "12", "dob": "1971-13-45"},
        {"record_id": "b", "email": "ok@example.com"},
    ])
    first, second = batch.records
    assert (first["email"], first["phone"], first["dob"]) == (None, None, None)
    assert second["email"] == "ok@example.com"
    assert [(p.row, p.record_id, p.field) for p in batch.problems] == [
        (0, "a", "dob"), (0, "a", "email"), (0, "a", "phone")]
    assert all(p.field in p.message for p in batch.problems)


def test_empty_strings_and_missing_columns_are_null() -> None:
    record = normalize_record({"record_id": "x", "email": "   ", "first_name": ""})[0]
    assert set(record) == set(RECORD_COLUMNS)
    assert record["email"] is None and record["first_name"] is None and record["zip"] is None


def test_rename_maps_sources_onto_canonical_columns_and_keeps_extras_aside() -> None:
    rename = parse_rename(["given_name=first_name", "surname = last_name", "rec_id=record_id"])
    batch = normalize_records(
        [{"rec_id": "7", "given_name": "Ann", "surname": "Lee", "storm": "S1", "blank": " "}],
        rename=rename)
    assert batch.records[0]["first_name"] == "ann" and batch.records[0]["last_name"] == "lee"
    assert batch.records[0]["record_id"] == "7"
    assert batch.extras == [{"storm": "S1"}]
    assert "storm" not in batch.records[0]


@pytest.mark.parametrize("pair", ["given_name", "=first_name", "given_name=nickname", "a=b=c"])
def test_rename_refuses_bad_pairs(pair: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_rename([pair])
    assert err.value.field == "map"


def test_rename_refuses_two_sources_for_one_target() -> None:
    with pytest.raises(InvalidInput, match="both map to 'zip'"):
        check_rename({"postcode": "zip", "postal": "zip"})


def test_rename_refuses_a_target_the_input_already_has() -> None:
    with pytest.raises(InvalidInput, match="already has a 'first_name'"):
        normalize_records([{"given_name": "a", "first_name": "b"}],
                          rename={"given_name": "first_name"})


def test_records_without_an_id_get_a_stable_content_id() -> None:
    one = normalize_record({"email": "a@b.co", "first_name": "Ann"})[0]["record_id"]
    again = normalize_record({"first_name": " ANN ", "email": "A@B.CO"})[0]["record_id"]
    other = normalize_record({"email": "c@b.co", "first_name": "Ann"})[0]["record_id"]
    assert one == again != other
    assert one.startswith("h:")


def test_whole_number_floats_from_dataframes_lose_their_decimal() -> None:
    record = normalize_record({"zip": 4123.0, "street_number": 7.0, "national_id": float("nan")})[0]
    assert (record["zip"], record["street_number"], record["national_id"]) == ("4123", "7", None)


@pytest.mark.parametrize(("name", "roots"), [
    ("Bob", "robert"), ("Robert", "robert"), ("alex", "alejandro alexander alexandra"),
    ("Bob Lee", "robert"), ("Zebulon", None),
])
def test_given_names_get_their_full_name_roots(name: str, roots: str | None) -> None:
    assert normalize_record({"first_name": name})[0]["first_name_roots"] == roots


def test_records_columns_lists_only_populated_columns() -> None:
    records = normalize_records([{"record_id": "1", "email": "a@b.co"},
                                 {"record_id": "2", "dob": "1970-01-01"}]).records
    assert records_columns(records) == {"record_id", "email", "dob"}
    assert set(CANONICAL_COLUMNS) < set(RECORD_COLUMNS)
