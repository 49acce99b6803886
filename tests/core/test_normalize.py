import pytest

from stormops.core.errors import InvalidInput, InvalidValue
from stormops.core.normalize import (
    normalize_address,
    normalize_country,
    normalize_date,
    normalize_digits,
    normalize_email,
    normalize_name,
    normalize_phone,
    normalize_postcode,
    postcode_country,
)


@pytest.mark.parametrize(
    "raw", ["(214) 555-0134", "214.555.0134", "+1 214 555 0134", "2145550134", " 214-555-0134 "]
)
def test_phone_variants_become_one_e164(raw: str) -> None:
    assert normalize_phone(raw) == "+12145550134"


def test_phone_region_is_configurable() -> None:
    assert normalize_phone("020 7946 0018", region="GB") == "+442079460018"


def test_bad_phone_names_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        normalize_phone("12", field="mobile")
    assert err.value.field == "mobile"


def test_email_lowercased_and_trimmed() -> None:
    assert normalize_email("  Jane.Doe@Example.COM ") == "jane.doe@example.com"
    with pytest.raises(InvalidInput):
        normalize_email("not-an-email")


def test_names_lose_accents_case_and_punctuation() -> None:
    assert normalize_name("  José  O'Brien-Smith ") == "jose obrien smith"


def test_address_abbreviations() -> None:
    assert normalize_address("12 North Oak Street.") == normalize_address("12 n oak st")


@pytest.mark.parametrize("raw", ["1971-03-04", "03/04/1971", "19710304"])
def test_dates_to_iso(raw: str) -> None:
    assert normalize_date(raw) == "1971-03-04"


def test_bad_date_and_future_date_refused() -> None:
    with pytest.raises(InvalidInput):
        normalize_date("31/31/1971")
    with pytest.raises(InvalidInput):
        normalize_date("2999-01-01")


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_empty_is_none(empty: str | None) -> None:
    assert normalize_email(empty) is None
    assert normalize_phone(empty) is None
    assert normalize_name(empty) is None
    assert normalize_date(empty) is None


def test_over_long_value_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        normalize_email("a" * 300 + "@x.com")
    assert err.value.field == "email"


def test_digits() -> None:
    assert normalize_digits("123-45-6789", "national_id") == "123456789"


@pytest.mark.parametrize("control", ["\x00", "\n", "\x1b", "\x7f", "\x85"])
def test_control_characters_are_refused_naming_the_field(control: str) -> None:
    with pytest.raises(InvalidInput) as err:
        normalize_email(f"j{control}o@x.co")
    assert err.value.field == "email" and "control character" in err.value.message
    with pytest.raises(InvalidInput) as err:
        normalize_name(f"J{control}o", "first_name")
    assert err.value.field == "first_name"


def test_surrounding_whitespace_is_still_trimmed() -> None:
    assert normalize_email("\t Jo@X.co \r\n") == "jo@x.co"
def test_bad_values_say_why_without_repeating_the_field() -> None:
    with pytest.raises(InvalidValue) as err:
        normalize_date("13/45/1999")
    assert err.value.field == "dob" and err.value.reason.startswith("expected a date")
    assert err.value.message == f"dob: {err.value.reason}"
@pytest.mark.parametrize(("raw", "country", "kept"), [
    ("78701-1234", "US", "78701"), ("sw1a1aa", "GB", "SW1A 1AA"), ("SW1A 1AA", "GB", "SW1A 1AA"),
    ("k1a0b1", "CA", "K1A 0B1"), ("75008", "FR", "75008"), ("1010-001", None, "1010-001"),
])
def test_postcodes_follow_their_country(raw: str, country: str | None, kept: str) -> None:
    assert normalize_postcode(raw, country) == kept
def test_a_postcode_with_letters_is_refused_as_a_us_zip_not_stripped_to_digits() -> None:
    with pytest.raises(InvalidValue, match="US ZIP"):
        normalize_postcode("SW1A 1AA", "US")
    with pytest.raises(InvalidValue, match="GB postcode"):
        normalize_postcode("78701", "GB")
def test_postcodes_that_name_their_country() -> None:
    assert [postcode_country(v) for v in ("SW1A 1AA", "m11ae", "K1A 0B1", "78701", None)] == [
        "GB", "GB", "CA", None, None]
@pytest.mark.parametrize(("raw", "code"), [
    ("uk", "GB"), ("United Kingdom", "GB"), ("gb", "GB"), ("USA", "US"), ("Deutschland", "DE"),
    (" none ", None), ("", None),
])
def test_countries_by_code_or_name(raw: str, code: str | None) -> None:
    assert normalize_country(raw) == code
def test_an_unknown_country_is_refused() -> None:
    with pytest.raises(InvalidValue, match="country code"):
        normalize_country("Narnia")
def test_a_phone_of_unknown_country_is_kept_as_written() -> None:
    assert normalize_phone("+44 7700 900123", region=None) == "+447700900123"
    assert normalize_phone(" 0770  0900 456 ", region=None) == "0770 0900 456"
    with pytest.raises(InvalidValue):
        normalize_phone("12", region=None)
