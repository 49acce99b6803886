"""Value normalizers: the same email, phone or name written two ways must become one key.

Pure functions, no I/O. Each returns the normalized value, or None for an empty input, and
raises `InvalidValue` (naming the field, with a `reason` that does not) for a value that cannot
be a valid one.

International values are kept, never mangled: a phone number is read in its country (E.164 when
the country is known, kept as written when it is not), and a postcode follows its country's
format (a US ZIP is digits, a UK postcode keeps its letters: 'sw1a1aa' -> 'SW1A 1AA').
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

import phonenumbers

from stormops.core.errors import InvalidInput, InvalidValue

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
# Postcode formats by country (uppercase, spaces removed), and where the space goes back.
_POSTCODES: dict[str, tuple[re.Pattern[str], int, str]] = {
    "GB": (re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}"), 3, "SW1A 1AA"),
    "CA": (re.compile(r"[A-Z][0-9][A-Z][0-9][A-Z][0-9]"), 3, "K1A 0B1"),
    "IE": (re.compile(r"[A-Z][0-9][0-9W][A-Z0-9]{4}"), 4, "D02 X285"),
    "NL": (re.compile(r"[0-9]{4}[A-Z]{2}"), 2, "1012 AB"),
}
# Countries that are easy to recognize by name; any ISO 3166 alpha-2 code is accepted too.
_COUNTRY_NAMES = {
    "usa": "US", "united states": "US", "united states of america": "US", "america": "US",
    "us of a": "US", "uk": "GB", "united kingdom": "GB", "great britain": "GB", "britain": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB", "gbr": "GB",
    "canada": "CA", "can": "CA", "mexico": "MX", "mex": "MX", "ireland": "IE", "irl": "IE",
    "eire": "IE", "france": "FR", "fra": "FR", "germany": "DE", "deutschland": "DE",
    "deu": "DE", "spain": "ES", "espana": "ES", "esp": "ES", "italy": "IT", "italia": "IT",
    "netherlands": "NL", "the netherlands": "NL", "holland": "NL", "belgium": "BE",
    "portugal": "PT", "switzerland": "CH", "austria": "AT", "sweden": "SE", "norway": "NO",
    "denmark": "DK", "finland": "FI", "poland": "PL", "australia": "AU", "aus": "AU",
    "new zealand": "NZ", "india": "IN", "china": "CN", "japan": "JP", "brazil": "BR",
    "argentina": "AR", "colombia": "CO", "philippines": "PH", "puerto rico": "PR",
    "south africa": "ZA", "vietnam": "VN", "viet nam": "VN", "south korea": "KR",
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
        raise InvalidValue(field, exc.message) from None


def normalize_email(value: object, field: str = "email") -> str | None:
    """Lower-cased, trimmed email; refuses strings that are not shaped like an address."""
    text = _checked(field, value)
    if text is None:
        return None
    text = text.lower()
    if not _EMAIL.match(text):
        raise InvalidValue(field, f"expected an email address, got {text!r}")
    return text


def normalize_phone(value: object, region: str | None = "US", field: str = "phone") -> str | None:
    """E.164 phone number, read in `region` (ISO 3166 alpha-2) unless it carries a country code.

    With no region (the country is not known) a number without a country code is kept as
    written, whitespace tidied: guessing its country would mangle it.
    """
    text = _checked(field, value)
    if text is None:
        return None
    e164 = _e164(text, region or "ZZ")
    if e164 is not None:
        return e164
    if not region and sum(char.isdigit() for char in text) >= 5:
        return _SPACES.sub(" ", text)
    if region:
        raise InvalidValue(field, f"expected a {region} phone number, or one with its +country "
                                  f"code, got {text!r}")
    raise InvalidValue(field, f"expected a phone number, got {text!r}")


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
        raise InvalidValue(field, f"expected a date such as 1971-03-04 or 03/04/1971, "
                                  f"got {text!r}")
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
    """Identifiers written with punctuation (national ids): digits only."""
    text = _checked(field, value)
    if text is None:
        return None
    digits = re.sub(r"\D", "", text)
    if not digits:
        raise InvalidValue(field, f"expected digits, got {text!r}")
    return digits


def normalize_country(value: object, field: str = "country") -> str | None:
    """ISO 3166 alpha-2 code from a code or a common name: 'uk', 'United Kingdom' -> 'GB';
    None for an empty value or "none" (the country is not known)."""
    text = _checked(field, value)
    if text is None or text.lower() == "none":
        return None
    folded = normalize_name(text, field) or ""
    code = _COUNTRY_NAMES.get(folded) or folded.upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidValue(field, f"expected a country code such as GB or US, or a country "
                                  f"name, got {text!r}")
    return code


def normalize_postcode(value: object, country: str | None = "US",
                       field: str = "zip") -> str | None:
    """A postcode in its country's format; kept as written (upper case) where none is known.

    US: the five-digit ZIP (ZIP+4 keeps its ZIP; other digit strings are kept as digits), and a
    value with letters is refused rather than stripped to its digits. GB, CA, IE and NL: the
    national format with its space. Any other or unknown country: upper case, single spaces.
    """
    text = _checked(field, value)
    if text is None:
        return None
    if country == "US":
        if re.search(r"[A-Za-z]", text):
            raise InvalidValue(field, f"expected a US ZIP code such as 78701, got {text!r} (a "
                                      "postcode of another country needs a country)")
        digits = re.sub(r"\D", "", text)
        if not digits:
            raise InvalidValue(field, f"expected a US ZIP code such as 78701, got {text!r}")
        return digits[:5] if len(digits) == 9 else digits
    compact = re.sub(r"[\s-]+", "", text.upper())
    if country in _POSTCODES:
        pattern, tail, example = _POSTCODES[country]
        if not pattern.fullmatch(compact):
            raise InvalidValue(field, f"expected a {country} postcode such as {example}, "
                                      f"got {text!r}")
        return f"{compact[:-tail]} {compact[-tail:]}"
    if not re.search(r"[A-Z0-9]", compact):
        raise InvalidValue(field, f"expected a postcode, got {text!r}")
    return _SPACES.sub(" ", text.upper())


def postcode_country(value: object) -> str | None:
    """The country a postcode unmistakably belongs to (GB, CA), or None.

    Only formats no US ZIP can take are recognized, so a row without a country column is read
    in the right country when its postcode says which.

    Example:
        >>> postcode_country("sw1a 1aa"), postcode_country("78701")
        ('GB', None)
    """
    if not isinstance(value, str):
        return None
    compact = re.sub(r"\s+", "", value.upper())
    for country in ("GB", "CA"):
        if _POSTCODES[country][0].fullmatch(compact):
            return country
    return None
