"""The record normalizer and the validation policy, shared by every way a record comes in.

A CSV ingest, `stormops link`, `POST /v1/records` and the graph's own identifier checks all
normalize a record here, so one value is read one way everywhere, and a bad row is handled one
way everywhere:

- every bad value of a row is reported, together, as a `Problem` naming the field;
- the policy decides what happens to the row: `null` keeps it with the bad values nulled (their
  text kept as given in `extra`, so nothing is lost), `reject` refuses the whole row;
- a row with nothing that identifies a person (no email, phone, device, national id or name)
  is refused under either policy;
- columns that are not canonical are kept in `extra`, never dropped.

Pure: no I/O.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, get_args

from stormops.core.errors import InvalidInput, InvalidValue
from stormops.core.normalize import (
    blank_to_none,
    normalize_address,
    normalize_country,
    normalize_date,
    normalize_digits,
    normalize_email,
    normalize_name,
    normalize_phone,
    normalize_postcode,
    normalize_token,
    postcode_country,
)

CANONICAL_COLUMNS: tuple[str, ...] = (
    "record_id", "source", "first_name", "last_name", "dob", "email", "phone",
    "street_number", "address", "address_2", "city", "zip", "state", "national_id",
    "property_id", "device_id", "country",
)
FULL_NAME = "full_name"
"""An input column holding a whole name ('Sarah Connor', 'Connor, Sarah'): it is split into
first_name and last_name when the row has neither."""
INPUT_COLUMNS: tuple[str, ...] = (*CANONICAL_COLUMNS, FULL_NAME)
IDENTIFYING_COLUMNS: tuple[str, ...] = (
    "email", "phone", "national_id", "device_id", "first_name", "last_name",
)

Policy = Literal["null", "reject"]
POLICIES: dict[str, str] = {
    "null": "a bad value is nulled (its text kept in extra) and the row kept",
    "reject": "a row with a bad value is rejected whole",
}
NOTHING_TO_IDENTIFY = ("nothing to identify a person by: expected an email, phone, device id, "
                       "national id or a name")

# Columns hashed into a content id, in this order (country and extras only when present, so
# ids of records without them are what they always were).
_ID_COLUMNS = CANONICAL_COLUMNS[:-1]
_HOUSE_NUMBER = re.compile(r"^\s*(\d+[A-Za-z]?)[\s,]+(?=.*[A-Za-z])(.+)$")
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "mx"})
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_UNIT_WORDS = frozenset({"apt", "unit", "ste", "no"})
_US_STATES = {
    "alabama": "al", "alaska": "ak", "arizona": "az", "arkansas": "ar", "california": "ca",
    "colorado": "co", "connecticut": "ct", "delaware": "de", "district of columbia": "dc",
    "florida": "fl", "georgia": "ga", "hawaii": "hi", "idaho": "id", "illinois": "il",
    "indiana": "in", "iowa": "ia", "kansas": "ks", "kentucky": "ky", "louisiana": "la",
    "maine": "me", "maryland": "md", "massachusetts": "ma", "michigan": "mi", "minnesota": "mn",
    "mississippi": "ms", "missouri": "mo", "montana": "mt", "nebraska": "ne", "nevada": "nv",
    "new hampshire": "nh", "new jersey": "nj", "new mexico": "nm", "new york": "ny",
    "north carolina": "nc", "north dakota": "nd", "ohio": "oh", "oklahoma": "ok",
    "oregon": "or", "pennsylvania": "pa", "rhode island": "ri", "south carolina": "sc",
    "south dakota": "sd", "tennessee": "tn", "texas": "tx", "utah": "ut", "vermont": "vt",
    "virginia": "va", "washington": "wa", "west virginia": "wv", "wisconsin": "wi",
    "wyoming": "wy",
}


@dataclass(frozen=True)
class Problem:
    """A bad value (or a refused row), said once: "dob: expected a date ..., got '13/45'".

    Attributes:
        row: 0-based position of the row in the input.
        record_id: the row's record_id, when it has one.
        field: the canonical column at fault ("identifiers" when nothing identifies anyone,
            "record_id" for a repeated id, "columns" for a row of the wrong width).
        message: what was expected and what was received, without the field's name.
        line: the row's line in its source file, when it came from one.
    """

    row: int
    record_id: str | None
    field: str
    message: str
    line: int | None = None

    def where(self) -> str:
        """'line 9' for a file's row, else 'row 3' (1-based)."""
        return f"line {self.line}" if self.line is not None else f"row {self.row + 1}"


@dataclass(frozen=True)
class NormalizedRow:
    """One row through the normalizer and the policy.

    Attributes:
        record: every canonical column, values normalized strings or None.
        extra: columns kept but not compared (stripped strings, empty ones dropped), and under
            the `null` policy the text of each nulled value, under its own column name.
        problems: every bad value of the row, in column order.
        rejected: whether the row is refused (nothing identifies anyone, or a bad value under
            the `reject` policy); a refused row must not be written.
    """

    record: dict[str, str | None]
    extra: dict[str, str]
    problems: tuple[Problem, ...]
    rejected: bool


class RepeatedIds:
    """Record ids met again in one input: the later row replaces the earlier, said per row.

    Example:
        >>> seen = RepeatedIds()
        >>> seen.check("a", 0, 2), seen.check("a", 1, 3).message
        (None, 'record_id repeats line 2; this row replaces it')
    """

    def __init__(self) -> None:
        self._first: dict[str, tuple[int, int | None]] = {}

    def check(self, record_id: str, row: int, line: int | None) -> Problem | None:
        """A problem when `record_id` was seen before in this input, else None."""
        first = self._first.setdefault(record_id, (row, line))
        if first == (row, line):
            return None
        where = f"line {first[1]}" if first[1] is not None else f"row {first[0] + 1}"
        what = (f"the same values as {where}: one record for both"
                if record_id.startswith("h:") else f"record_id repeats {where}; this row "
                "replaces it")
        return Problem(row, record_id, "record_id", what, line)


def check_policy(policy: object) -> Policy:
    """The policy, checked: "null" or "reject".

    Raises:
        InvalidInput: any other value, naming the allowed ones.
    """
    if policy not in get_args(Policy):
        raise InvalidInput(f"invalid: expected one of {', '.join(POLICIES)}, got {policy!r}",
                           field="invalid")
    return policy  # type: ignore[return-value]


def normalize_row(
    row: Mapping[str, object],
    *,
    rename: Mapping[str, str] | None = None,
    country: str | None = "US",
    policy: Policy = "null",
    index: int = 0,
    line: int | None = None,
) -> NormalizedRow:
    """Normalize one raw row into a canonical record under the validation policy.

    Args:
        row: raw values by column name; canonical names are used as they are, others through
            `rename` (a target of "extra" keeps a canonical-looking column aside), and the rest
            go to `extra`.
        rename: source column -> canonical column (or `FULL_NAME`, or "extra").
        country: the country (ISO 3166 alpha-2) of a row that does not say its own, in a
            `country` column or by an unmistakable postcode; None when unknown (phones without
            a country code and postcodes are then kept as written).
        policy: "null" or "reject" (see the module docstring).
        index: the row's position, for problems.
        line: the row's source line, for problems.

    Returns:
        The normalized row. Without a record_id it gets a stable one derived from its content
        ("h:" + 16 hex digits), so a re-run of the same file gives the same ids.

    Example:
        >>> out = normalize_row({"E-mail": "A@B.COM", "dob": "13/45/1999"},
        ...                     rename={"E-mail": "email"})
        >>> out.record["email"], out.record["dob"], out.extra, out.problems[0].field
        ('a@b.com', None, {'dob': '13/45/1999'}, 'dob')
    """
    rename = rename or {}
    raw: dict[str, tuple[str, object]] = {}
    extra: dict[str, str] = {}
    for key, value in row.items():
        target = rename.get(key, key if key in INPUT_COLUMNS else "extra")
        text = _as_text(value)
        if target != "extra":
            raw[target] = (key, text)
        elif text.strip():
            extra[key] = text.strip()
    failures: list[tuple[str, str, str, str]] = []  # (column, source column, reason, text)
    record: dict[str, str | None] = dict.fromkeys(CANONICAL_COLUMNS)
    record["country"] = _value(record, raw, "country", None, failures)
    where = record["country"] or postcode_country(raw.get("zip", ("", None))[1]) or country
    if FULL_NAME in raw:
        _split_full_name(raw, extra)
    _split_house_number(raw)
    for column in CANONICAL_COLUMNS[:-1]:
        _value(record, raw, column, where, failures)
    if record["country"] is None and where != country:
        record["country"] = where  # read in the country its postcode says
    rejected = bool(failures) and policy == "reject"
    if policy == "null":
        extra.update((source, text.strip()) for _, source, _, text in failures)
    reasons = [(column, reason) for column, _, reason, _ in failures]
    if not any(record[column] for column in IDENTIFYING_COLUMNS):
        rejected = True
        reasons.append(("identifiers", NOTHING_TO_IDENTIFY))
    if record["record_id"] is None:
        record["record_id"] = content_id(record, extra)
    problems = tuple(Problem(index, record["record_id"], column, reason, line)
                     for column, reason in reasons)
    return NormalizedRow(record, extra, problems, rejected)


def content_id(record: Mapping[str, str | None], extra: Mapping[str, str]) -> str:
    """Stable id of a record that came without one: a hash of its normalized values and its
    extra columns, so rows differing in any value get different ids.

    Example:
        >>> content_id({"email": "a@b.co"}, {}) == content_id({"email": "a@b.co"}, {"x": "1"})
        False
    """
    parts = [record.get(column) or "" for column in _ID_COLUMNS]
    if record.get("country"):
        parts.append(f"country={record['country']}")
    parts += [f"{key}={value}" for key, value in sorted(extra.items())]
    return "h:" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _value(record: dict[str, str | None], raw: Mapping[str, tuple[str, object]], column: str,
           country: str | None, failures: list[tuple[str, str, str, str]]) -> str | None:
    """Normalize one column of the row into `record`; a failure is noted, the value nulled."""
    source, text = raw.get(column, (column, ""))
    try:
        record[column] = _normalize_value(column, str(text), country)
    except InvalidValue as exc:
        failures.append((column, source, exc.reason, str(text)))
    except InvalidInput as exc:
        failures.append((column, source, exc.message, str(text)))
    return record[column]


def _as_text(value: object) -> str:
    """Cell value as text; floats that are whole numbers (pandas ints with NaN) lose '.0'."""
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if value != value else (str(int(value)) if value.is_integer() else str(value))
    return str(value)


def _split_full_name(raw: dict[str, tuple[str, object]], extra: dict[str, str]) -> None:
    """'Sarah Connor' or 'Connor, Sarah' -> first_name and last_name, when the row has
    neither; a whole name beside them is kept in extra instead."""
    source, text = raw.pop(FULL_NAME)
    text = str(text).strip()
    if not text:
        return
    if any(str(raw.get(column, ("", ""))[1]).strip() for column in ("first_name", "last_name")):
        extra[source] = text
        return
    if "," in text:
        last, _, first = text.partition(",")
    else:
        words = [word for word in text.split() if word.strip(".").lower() not in _TITLES]
        while len(words) > 2 and words[-1].strip(".").lower() in _SUFFIXES:
            words.pop()
        first, last = (" ".join(words[:-1]), words[-1]) if len(words) > 1 else (text, "")
    raw["first_name"] = (source, first.strip())
    raw["last_name"] = (source, last.strip())


def _split_house_number(raw: dict[str, tuple[str, object]]) -> None:
    """'12 Oak Street' in a row without a street number -> '12' and 'Oak Street', so an
    address written on one line compares with one written in two columns."""
    if str(raw.get("street_number", ("", ""))[1]).strip() or "address" not in raw:
        return
    source, text = raw["address"]
    match = _HOUSE_NUMBER.match(str(text))
    if match:
        raw["street_number"] = (source, match.group(1))
        raw["address"] = (source, match.group(2))


@lru_cache(maxsize=262_144)
def _normalize_value(column: str, text: str, country: str | None) -> str | None:
    """Normalized value of one canonical column (cached: names and places repeat a lot)."""
    if column == "phone":
        return normalize_phone(text, region=country, field=column)
    if column == "zip":
        return normalize_postcode(text, country, field=column)
    if column == "state" and country not in (None, "US"):
        return normalize_name(text, column)
    return _NORMALIZERS[column](text, column)


def _record_id(value: object, field: str) -> str | None:
    """Record ids are kept as given, only trimmed."""
    return blank_to_none(value)


def _street_number(value: object, field: str) -> str | None:
    """'12-A' -> '12a': house numbers keep letters, lose punctuation and spaces."""
    name = normalize_name(value, field)
    return None if name is None else name.replace(" ", "")


def _unit(value: object, field: str) -> str | None:
    """Unit line: 'Apt. 4B', 'Unit #4b' and '#4B' all become '4b'; other lines are tidied."""
    address = normalize_address(value, field)
    if address is None:
        return None
    words = address.split(" ")
    if len(words) == 2 and words[0] in _UNIT_WORDS:
        return words[1]
    return address


def _state(value: object, field: str) -> str | None:
    """State as its postal code where it is a spelled-out US state ('Texas' -> 'tx')."""
    name = normalize_name(value, field)
    return None if name is None else _US_STATES.get(name, name)


_NORMALIZERS: dict[str, Callable[[object, str], str | None]] = {
    "record_id": _record_id,
    "source": normalize_token,
    "first_name": normalize_name,
    "last_name": normalize_name,
    "dob": normalize_date,
    "email": normalize_email,
    "street_number": _street_number,
    "address": normalize_address,
    "address_2": _unit,
    "city": normalize_name,
    "state": _state,
    "national_id": normalize_digits,
    "property_id": normalize_token,
    "device_id": normalize_token,
    "country": normalize_country,
}
