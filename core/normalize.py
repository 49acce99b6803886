"""Value normalizers: the same email, phone or name written two ways must become one key.

Pure functions, no I/O. Each returns the normalized value, or None for an empty input, and
raises `InvalidInput` (naming the field) for a value that cannot be a valid one.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

import phonenumbers

from stormops.core.errors import InvalidInput

MAX_VALUE_LENGTH = 256

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # C0 and C1 control characters, NUL included
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y", "%Y%m%d", "%m-%d-%Y", "%Y/%m/%d")
_ADDRESS_WORDS = {
    "street": "st", "str": "st", "avenue": "ave", "av": "ave", "road": "rd", "drive": "dr",
    "lane": "ln", "boulevard": "blvd", "court": "ct", "place": "pl", "circle": "cir",
    "parkway": "pkwy", "highway": "hwy", "terrace": "ter", "trail": "trl", "way": "way",
    "north": "n", "south": "s", "east": "e", "west": "w", "apartment": "apt", "suite": "ste",
    "unit": "unit",
}


def blank_to_none(value: object) -> str | None:
    """Strip a value; empty strings and None become None; over-long values, and values
    holding a control character (NUL, line breaks, escapes), are refused."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if len(text) > MAX_VALUE_LENGTH:
        raise InvalidInput(f"value longer than {MAX_VALUE_LENGTH} characters ({len(text)})")
    if (control := _CONTROL.search(text)) is not None:
        raise InvalidInput(f"control character U+{ord(control.group()):04X} at position "
                           f"{control.start()}; expected printable text")
    return text


def _checked(field: str, value: object) -> str | None:
    try:
        return blank_to_none(value)
    except InvalidInput as exc:
        raise InvalidInput(f"{field}: {exc.message}", field=field) from None


def normalize_email(value: object, field: str = "email") -> str | None:
    """Lower-cased, trimmed email; refuses strings that are not shaped like an address."""
    text = _checked(field, value)
    if text is None:
        return None
    text = text.lower()
    if not _EMAIL.match(text):
        raise InvalidInput(f"{field}: expected an email address, got {text!r}", field=field)
    return text


def normalize_phone(value: object, region: str = "US", field: str = "phone") -> str | None:
    """E.164 phone number; numbers without a country code are read in `region`."""
    text = _checked(field, value)
    if text is None:
        return None
    e164 = _e164(text, region)
    if e164 is None:
        raise InvalidInput(f"{field}: expected a phone number, got {text!r}", field=field)
    return e164


@lru_cache(maxsize=65_536)
def _e164(text: str, region: str) -> str | None:
    """Parsing is the slow part of a bulk load, and the same numbers recur across records."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_name(value: object, field: str = "name") -> str | None:
    """Lower-case ASCII letters and single spaces: 'José  O'Brien' -> 'jose obrien'."""
    text = _checked(field, value)
    if text is None:
        return None
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.lower().replace("'", "").replace("-", " ")
    cleaned = _SPACES.sub(" ", _NON_ALNUM.sub(" ", ascii_text)).strip()
    return cleaned or None


def normalize_address(value: object, field: str = "address") -> str | None:
    """Lower-case street line with common words abbreviated: '12 Oak Street.' -> '12 oak st'."""
    name = normalize_name(value, field)
    if name is None:
        return None
    return " ".join(_ADDRESS_WORDS.get(word, word) for word in name.split(" "))


def normalize_date(value: object, field: str = "dob") -> str | None:
    """ISO date (YYYY-MM-DD) from the common US and ISO spellings."""
    text = _checked(field, value)
    if text is None:
        return None
    iso = _iso_date(text)
    if iso is None:
        raise InvalidInput(f"{field}: expected a date such as 1971-03-04, got {text!r}",
                           field=field)
    return iso


@lru_cache(maxsize=65_536)
def _iso_date(text: str) -> str | None:
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if date(1880, 1, 1) <= parsed <= date.today():
            return parsed.isoformat()
    return None


def normalize_token(value: object, field: str) -> str | None:
    """Opaque identifiers (device ids, property ids): trimmed and lower-cased."""
    text = _checked(field, value)
    return None if text is None else text.lower()


def normalize_digits(value: object, field: str) -> str | None:
    """Identifiers written with punctuation (national ids, zips): digits only."""
    text = _checked(field, value)
    if text is None:
        return None
    digits = re.sub(r"\D", "", text)
    if not digits:
        raise InvalidInput(f"{field}: expected digits, got {text!r}", field=field)
    return digits
