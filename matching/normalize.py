"""Record-level normalization: raw rows in any column naming -> canonical, comparable records.

Every value goes through the `core.normalize` value normalizers, so the same email, phone or
name written two ways becomes one value before blocking or scoring. A bad value never stops a
batch: it becomes null and a `Problem` names the row and field. Columns that are neither
canonical nor renamed onto a canonical column are kept aside in `extras`: stored with the
record, never compared.

Besides the canonical columns each record gets the derived columns in `DERIVED_COLUMNS`, which
the model compares and blocks on:

- `first_name_roots`: the full names a given name can stand for ('bob' -> 'robert'), or null.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from stormops.core.errors import InvalidInput
from stormops.core.normalize import (
    blank_to_none,
    normalize_address,
    normalize_date,
    normalize_digits,
    normalize_email,
    normalize_name,
    normalize_phone,
    normalize_token,
)
from stormops.matching._nicknames import name_roots

CANONICAL_COLUMNS: tuple[str, ...] = (
    "record_id", "source", "first_name", "last_name", "dob", "email", "phone",
    "street_number", "address", "address_2", "city", "zip", "state", "national_id",
    "property_id", "device_id",
)
DERIVED_COLUMNS: tuple[str, ...] = ("first_name_roots",)
RECORD_COLUMNS: tuple[str, ...] = CANONICAL_COLUMNS + DERIVED_COLUMNS

Record = dict[str, str | None]
"""A normalized record: every `RECORD_COLUMNS` key, values normalized strings or None."""

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
    """A value that could not be normalized and was replaced by null.

    Attributes:
        row: 0-based position of the row in the input.
        record_id: the row's record_id, when it has one.
        field: canonical column at fault.
        message: what was expected and what was received.
    """

    row: int
    record_id: str | None
    field: str
    message: str


@dataclass(frozen=True)
class NormalizedBatch:
    """Normalized records, in input order, with what was kept aside and what went wrong.

    Attributes:
        records: one `Record` per input row.
        extras: per row, the non-canonical columns (stripped strings, empty ones dropped).
        problems: every value nulled because it was invalid, in row order.
    """

    records: list[Record]
    extras: list[dict[str, str]]
    problems: list[Problem] = field(default_factory=list)


def parse_rename(pairs: Iterable[str]) -> dict[str, str]:
    """Read `--map src=canonical` options into a rename mapping, checking every target.

    Args:
        pairs: strings of the form "source_column=canonical_column".

    Returns:
        source column -> canonical column.

    Raises:
        InvalidInput: a pair is not `a=b`, its target is not a canonical column, or two
            sources map to one target.

    Example:
        >>> parse_rename(["given_name=first_name", "suburb=city"])
        {'given_name': 'first_name', 'suburb': 'city'}
    """
    rename: dict[str, str] = {}
    for pair in pairs:
        source, sep, target = (part.strip() for part in pair.partition("="))
        if not sep or not source or not target:
            raise InvalidInput(f"--map expects source=canonical, got {pair!r}", field="map")
        rename[source] = target
    return check_rename(rename)


def check_rename(rename: Mapping[str, str]) -> dict[str, str]:
    """Validate a rename mapping: canonical targets, each used once.

    Args:
        rename: source column -> canonical column.

    Returns:
        The mapping as a plain dict.

    Raises:
        InvalidInput: a target is not canonical, or two sources share a target.

    Example:
        >>> check_rename({"postcode": "zip"})
        {'postcode': 'zip'}
    """
    seen: dict[str, str] = {}
    for source, target in rename.items():
        if target not in CANONICAL_COLUMNS:
            raise InvalidInput(
                f"--map {source}={target}: target must be one of {', '.join(CANONICAL_COLUMNS)}",
                field="map",
            )
        if target in seen:
            raise InvalidInput(
                f"--map: {seen[target]!r} and {source!r} both map to {target!r}", field="map"
            )
        seen[target] = source
    return dict(rename)


def normalize_records(
    rows: Iterable[Mapping[str, object]],
    *,
    rename: Mapping[str, str] | None = None,
    region: str = "US",
) -> NormalizedBatch:
    """Normalize a batch of raw rows into canonical records, reporting bad values per row.

    Rows may use any column names: `rename` maps them onto canonical ones. A column that is
    both renamed onto a target and present under the target's own name is refused, since it is
    unclear which should win.

    Args:
        rows: raw rows, e.g. from `csv.DictReader`; values of any type, blanks allowed.
        rename: source column -> canonical column (see `parse_rename`).
        region: phone region for numbers written without a country code.

    Returns:
        The normalized batch. Records without a record_id get a stable one derived from
        their content ("h:" + 16 hex digits), so re-running a file gives the same ids.

    Raises:
        InvalidInput: the rename mapping is invalid or collides with a column (not for bad
            values, which become problems).

    Example:
        >>> batch = normalize_records([{"rec": "1", "email": " A@B.COM", "phone": "12"}],
        ...                           rename={"rec": "record_id"})
        >>> batch.records[0]["email"], batch.records[0]["phone"], batch.problems[0].field
        ('a@b.com', None, 'phone')
    """
    rename = check_rename(rename or {})
    records: list[Record] = []
    extras: list[dict[str, str]] = []
    problems: list[Problem] = []
    checked_keys: set[frozenset[str]] = set()
    for index, row in enumerate(rows):
        keys = frozenset(row)
        if keys not in checked_keys:
            _check_columns(keys, rename)
            checked_keys.add(keys)
        record, extra, row_problems = _normalize_row(index, row, rename, region)
        records.append(record)
        extras.append(extra)
        problems.extend(row_problems)
    return NormalizedBatch(records=records, extras=extras, problems=problems)


def normalize_record(
    row: Mapping[str, object],
    *,
    rename: Mapping[str, str] | None = None,
    region: str = "US",
) -> tuple[Record, dict[str, str], list[Problem]]:
    """Normalize one raw row: the online path's form of `normalize_records`.

    Args:
        row: one raw row.
        rename: source column -> canonical column.
        region: phone region for numbers without a country code.

    Returns:
        (record, extras, problems) as for one row of `normalize_records` (row index 0).

    Example:
        >>> record, extras, problems = normalize_record({"first_name": "Bob", "x": "1"})
        >>> record["first_name_roots"], extras
        ('robert', {'x': '1'})
    """
    batch = normalize_records([row], rename=rename, region=region)
    return batch.records[0], batch.extras[0], batch.problems


def _check_columns(keys: frozenset[str], rename: Mapping[str, str]) -> None:
    """Refuse a renamed column whose target also arrives under its own name."""
    for source, target in rename.items():
        if source in keys and target in keys and target not in rename:
            raise InvalidInput(
                f"--map {source}={target}: the input already has a {target!r} column",
                field="map",
            )


def _normalize_row(
    index: int, row: Mapping[str, object], rename: Mapping[str, str], region: str
) -> tuple[Record, dict[str, str], list[Problem]]:
    """One row -> (record, extras, problems)."""
    raw: dict[str, object] = {}
    extra: dict[str, str] = {}
    for key, value in row.items():
        target = rename.get(key, key)
        if target in CANONICAL_COLUMNS:
            raw[target] = value
        else:
            text = "" if value is None else str(value).strip()
            if text:
                extra[key] = text
    record: Record = dict.fromkeys(RECORD_COLUMNS)
    failures: list[tuple[str, str]] = []
    for column in CANONICAL_COLUMNS:
        value = raw.get(column)
        if value is None:
            continue
        try:
            record[column] = _normalize_value(column, _as_text(value), region)
        except InvalidInput as exc:
            failures.append((column, exc.message))
    if record["record_id"] is None:
        record["record_id"] = _content_id(record)
    first = record["first_name"]
    record["first_name_roots"] = name_roots(first) if first else None
    problems = [Problem(index, record["record_id"], column, message)
                for column, message in failures]
    return record, extra, problems


def _as_text(value: object) -> str:
    """Cell value as text; floats that are whole numbers (pandas ints with NaN) lose '.0'."""
    if isinstance(value, float):
        return "" if value != value else (str(int(value)) if value.is_integer() else str(value))
    return str(value)


def _content_id(record: Record) -> str:
    """Stable id for a record that came without one: a hash of its normalized values."""
    text = "\x1f".join(record[column] or "" for column in CANONICAL_COLUMNS)
    return "h:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=262_144)
def _normalize_value(column: str, text: str, region: str) -> str | None:
    """Normalized value of one canonical column (cached: names and places repeat a lot)."""
    if column == "phone":
        return normalize_phone(text, region=region, field=column)
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


def _zip(value: object, field: str) -> str | None:
    """Postcode digits; a US ZIP+4 keeps its five-digit ZIP."""
    digits = normalize_digits(value, field)
    if digits is not None and len(digits) == 9:
        return digits[:5]
    return digits


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
    "zip": _zip,
    "state": _state,
    "national_id": normalize_digits,
    "property_id": normalize_token,
    "device_id": normalize_token,
}


def records_columns(records: Sequence[Record]) -> set[str]:
    """Canonical columns with at least one non-null value in `records`.

    The model builds a comparison only for columns the data actually has.

    Args:
        records: normalized records.

    Returns:
        The set of populated column names (canonical and derived).

    Example:
        >>> sorted(records_columns(normalize_records([{"email": "a@b.co"}]).records))
        ['email', 'record_id']
    """
    present: set[str] = set()
    for record in records:
        present.update(column for column, value in record.items() if value is not None)
        if len(present) == len(RECORD_COLUMNS):
            break
    return present
