"""`core.records`: the one record normalizer and the validation policy."""

import hashlib

import pytest

from stormops.core.errors import InvalidInput
from stormops.core.records import (
    CANONICAL_COLUMNS,
    NOTHING_TO_IDENTIFY,
    RepeatedIds,
    check_policy,
    content_id,
    normalize_row,
)


def test_values_are_normalized_per_column() -> None:
    out = normalize_row({
        "record_id": " r1 ", "first_name": "JOSÉ", "last_name": "O'Brien-Smith",
        "email": "  Jose.OBrien@Example.COM ", "phone": "(214) 555-0134", "dob": "03/04/1971",
        "street_number": "12-A", "address": "12 North Oak Street", "address_2": "Apt. 4B",
        "city": "FORT  Worth", "zip": "76102-1234", "state": "Texas", "national_id": "123-45-6789",
        "property_id": "P0001", "device_id": "ABC-Def",
    })
    assert out.problems == () and out.extra == {} and not out.rejected
    assert out.record == {
        "record_id": "r1", "source": None, "first_name": "jose", "last_name": "obrien smith",
        "email": "jose.obrien@example.com", "phone": "+12145550134", "dob": "1971-03-04",
        "street_number": "12a", "address": "12 n oak st", "address_2": "4b",
        "city": "fort worth", "zip": "76102", "state": "tx", "national_id": "123456789",
        "property_id": "p0001", "device_id": "abc-def", "country": None,
    }


@pytest.mark.parametrize("unit", ["Apt 4B", "apt. 4b", "Unit #4B", "#4b", "APT 4B"])
def test_unit_spellings_become_one_value(unit: str) -> None:
    assert normalize_row({"address_2": unit, "email": "a@b.co"}).record["address_2"] == "4b"


def test_every_bad_value_of_a_row_is_reported_together_and_said_once() -> None:
    out = normalize_row({"E-mail": "bob@@example", "DOB": "13/45/1999", "first_name": "Bob",
                         "Mobile": "12"},
                        rename={"E-mail": "email", "DOB": "dob", "Mobile": "phone"}, line=9)
    assert [(p.field, p.line) for p in out.problems] == [("dob", 9), ("email", 9), ("phone", 9)]
    assert out.problems[0].message.startswith("expected a date")  # not "dob: dob: ..."
    assert not out.rejected and out.record["first_name"] == "bob"
    # null policy: the bad values' text is kept as given, under the file's own column names
    assert out.extra == {"E-mail": "bob@@example", "DOB": "13/45/1999", "Mobile": "12"}


def test_reject_policy_refuses_the_row_with_every_reason() -> None:
    out = normalize_row({"email": "bob@@example", "dob": "13/45/1999", "first_name": "Bob"},
                        policy="reject")
    assert out.rejected and [p.field for p in out.problems] == ["dob", "email"]
    assert "email" not in out.extra  # a refused row keeps nothing: it is not written


@pytest.mark.parametrize("policy", ["null", "reject"])
def test_a_row_that_identifies_nobody_is_refused_under_either_policy(policy: str) -> None:
    out = normalize_row({"zip": "78701", "email": "not-an-email", "Notes": "call back"},
                        policy=policy)  # type: ignore[arg-type]
    assert out.rejected
    assert [p.field for p in out.problems] == ["email", "identifiers"]
    assert out.problems[-1].message == NOTHING_TO_IDENTIFY


def test_unknown_columns_are_kept_in_extra_and_a_rename_to_extra_keeps_them_aside() -> None:
    out = normalize_row({"email": "a@b.co", "Notes": " call back ", "Empty": "  ",
                         "zip": "78701"}, rename={"zip": "extra"})
    assert out.extra == {"Notes": "call back", "zip": "78701"}
    assert out.record["zip"] is None


def test_policy_names_are_checked() -> None:
    assert check_policy("reject") == "reject"
    with pytest.raises(InvalidInput, match="null, reject"):
        check_policy("drop")


def test_a_street_line_with_its_house_number_compares_with_two_columns() -> None:
    one_line = normalize_row({"address": "12 Oak Street", "email": "a@b.co"}).record
    two_columns = normalize_row({"street_number": "12", "address": "Oak St.",
                                 "email": "a@b.co"}).record
    assert (one_line["street_number"], one_line["address"]) == ("12", "oak st")
    assert one_line == two_columns
    assert normalize_row({"address": "Flat 3, 10 Downing St", "email": "a@b.co"}
                         ).record["street_number"] is None


@pytest.mark.parametrize(("name", "first", "last"), [
    ("Sarah Connor", "sarah", "connor"), ("Connor, Sarah", "sarah", "connor"),
    ("Dr. Mary Ann Smith Jr.", "mary ann", "smith"), ("Cher", "cher", None),
])
def test_a_full_name_is_split_into_first_and_last(name: str, first: str, last: str | None
                                                  ) -> None:
    record = normalize_row({"full_name": name}).record
    assert (record["first_name"], record["last_name"]) == (first, last)


def test_a_full_name_beside_first_and_last_is_kept_in_extra() -> None:
    out = normalize_row({"Name": "S. Connor", "first_name": "Sarah", "last_name": "Connor"},
                        rename={"Name": "full_name"})
    assert out.extra == {"Name": "S. Connor"} and out.record["first_name"] == "sarah"


def test_a_uk_postcode_is_kept_and_its_country_read_from_it() -> None:
    out = normalize_row({"first_name": "Tom", "phone": "07700 900456", "zip": "ec1a1bb"})
    assert out.problems == ()
    assert (out.record["zip"], out.record["country"]) == ("EC1A 1BB", "GB")
    assert out.record["phone"] == "+447700900456"


def test_a_country_column_decides_how_phones_and_postcodes_are_read() -> None:
    record = normalize_row({"first_name": "Jean", "country": "France", "zip": "75008",
                            "phone": "01 42 68 53 00"}).record
    assert (record["country"], record["zip"], record["phone"]) == ("FR", "75008", "+33142685300")


def test_an_unknown_country_keeps_values_as_written() -> None:
    out = normalize_row({"first_name": "Ana", "zip": "1010-001", "phone": "21 123 4567"},
                        country=None)
    assert out.problems == ()
    assert (out.record["zip"], out.record["phone"]) == ("1010-001", "21 123 4567")


def test_a_foreign_postcode_in_a_us_row_is_reported_not_mangled() -> None:
    out = normalize_row({"first_name": "Ana", "zip": "1010-AB"})  # neither US nor GB nor CA
    assert out.record["zip"] is None and out.extra == {"zip": "1010-AB"}
    assert out.problems[0].field == "zip" and "country" in out.problems[0].message


def test_content_ids_are_stable_and_tell_rows_apart_by_any_value() -> None:
    one = normalize_row({"email": "a@b.co", "first_name": "Ann"}).record["record_id"]
    again = normalize_row({"first_name": " ANN ", "email": "A@B.CO"}).record["record_id"]
    other = normalize_row({"email": "a@b.co", "first_name": "Ann", "Notes": "x"}
                          ).record["record_id"]
    assert one == again != other and one.startswith("h:")
    # records without a country or extras keep the ids they had before either existed
    record = dict.fromkeys(CANONICAL_COLUMNS) | {"email": "a@b.co"}
    assert content_id(record, {}) == "h:" + hashlib.sha256(
        "\x1f".join(["", "", "", "", "", "a@b.co"] + [""] * 10).encode()).hexdigest()[:16]


def test_repeated_ids_name_the_first_line() -> None:
    seen = RepeatedIds()
    assert seen.check("c-17", 0, 2) is None
    assert seen.check("c-17", 4, 6).message == "record_id repeats line 2; this row replaces it"
    assert seen.check("h:ab", 5, 7) is None
    assert "same values as line 7" in seen.check("h:ab", 6, 8).message
