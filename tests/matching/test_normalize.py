"""Records as matching needs them: batches, renames, derived columns (normalization itself is
tested in tests/core/test_records.py)."""

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


def test_bad_values_become_null_and_are_reported_without_stopping_the_batch() -> None:
    batch = normalize_records([
        {"record_id": "a", "email": "not-an-email", "phone": "12", "dob": "1971-13-45",
         "last_name": "Lee"},
        {"record_id": "b", "email": "ok@example.com"},
    ])
    first, second = batch.records
    assert (first["email"], first["phone"], first["dob"]) == (None, None, None)
    assert second["email"] == "ok@example.com"
    assert [(p.row, p.record_id, p.field) for p in batch.problems] == [
        (0, "a", "dob"), (0, "a", "email"), (0, "a", "phone")]
    # said once: the field is reported beside the message, never inside it again
    assert not any(p.message.startswith(f"{p.field}:") for p in batch.problems)
    assert batch.extras[0] == {"email": "not-an-email", "phone": "12", "dob": "1971-13-45"}


def test_the_reject_policy_drops_the_row_and_says_every_reason() -> None:
    batch = normalize_records([
        {"record_id": "a", "email": "not-an-email", "dob": "1971-13-45", "first_name": "Ann"},
        {"record_id": "b", "email": "ok@example.com"},
    ], policy="reject")
    assert [r["record_id"] for r in batch.records] == ["b"]
    assert [(p.record_id, p.field) for p in batch.rejected] == [("a", "dob"), ("a", "email")]


def test_a_repeated_record_id_is_reported_by_row() -> None:
    batch = normalize_records([{"record_id": "a", "email": "x@y.co"},
                               {"record_id": "a", "email": "z@y.co"}])
    [repeat] = batch.problems
    assert (repeat.row, repeat.field, repeat.where()) == (1, "record_id", "row 2")
    assert "repeats row 1" in repeat.message


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
                                 {"record_id": "2", "dob": "1970-01-01", "device_id": "d"}]
                                ).records
    assert records_columns(records) == {"record_id", "email", "dob", "device_id"}
    assert set(CANONICAL_COLUMNS) < set(RECORD_COLUMNS)
