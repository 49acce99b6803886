"""Which canonical column each column of a user's file holds, by its name or by its content.

A file's own headers (`E-mail`, `Surname`, `Zip`, `Mobile`) are matched against the spellings
people use for each canonical column; a column whose name says nothing is recognized by its
values (a column of email addresses is `email`). `--map` choices come first and override both.
The mapping is shown before anything is written, and a file whose columns identify nobody is
refused whole. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from stormops.core.errors import InvalidInput, InvalidValue
from stormops.core.normalize import normalize_date, normalize_email, normalize_phone
from stormops.core.records import FULL_NAME, IDENTIFYING_COLUMNS, INPUT_COLUMNS

EXTRA = "extra"
"""A `--map` target that keeps a column aside, uncompared, whatever its name."""
TARGETS: tuple[str, ...] = (*INPUT_COLUMNS, EXTRA)
_SAMPLE_SHARE = 0.8  # of a column's non-empty sampled values that must look like the kind

# Header spellings, compared after lower-casing and folding punctuation to single spaces.
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "record_id": ("record id", "id", "rec id", "customer id", "contact id",
                  "client id", "lead id", "account id", "external id", "uid", "uuid", "key",
                  "customer number", "customer no", "cust id", "ref", "reference",
                  "customer ref", "customer reference", "contact ref", "account number",
                  "account no", "client ref"),
    "source": ("source", "source system", "system", "origin", "lead source"),
    "first_name": ("first name", "firstname", "first", "given name", "givenname", "forename",
                   "fname", "first nm", "christian name", "name first"),
    "last_name": ("last name", "lastname", "last", "surname", "family name", "lname",
                  "last nm", "name last"),
    FULL_NAME: ("name", "full name", "fullname", "contact name", "customer name",
                "client name", "homeowner", "homeowner name", "owner name"),
    "dob": ("dob", "d o b", "date of birth", "birth date", "birthdate", "birthday", "born",
            "bday", "date of birth dob"),
    "email": ("email", "e mail", "email address", "e mail address", "mail", "emailaddress",
              "email 1", "primary email", "email addr"),
    "phone": ("phone", "mobile", "cell", "cell phone", "mobile phone", "telephone", "tel",
              "phone number", "mobile number", "cell number", "contact number", "home phone",
              "primary phone", "phone 1", "mobile no", "phone no", "tel no"),
    "street_number": ("street number", "house number", "house no", "street no",
                      "building number"),
    "address": ("address", "street", "street address", "address line 1", "address 1",
                "address1", "addr", "addr1", "line 1", "street line 1", "mailing address",
                "property address"),
    "address_2": ("address line 2", "address 2", "address2", "addr2", "line 2", "apt",
                  "apartment", "unit", "suite", "apt unit"),
    "city": ("city", "town", "locality", "suburb", "municipality", "town city"),
    "zip": ("zip", "zip code", "zipcode", "postcode", "post code", "postal code",
            "postalcode", "zip postal code", "postal", "zip postcode", "zip5"),
    "state": ("state", "province", "region", "state province", "state code", "st"),
    "country": ("country", "country code", "nation", "country region"),
    "national_id": ("national id", "ssn", "social security number", "soc sec id", "nin",
                    "ni number", "national insurance number", "tax id", "sin"),
    "property_id": ("property id", "parcel id", "parcel", "apn"),
    "device_id": ("device id", "device", "cookie id", "idfa", "gaid", "ad id"),
}
_BY_SPELLING = {spelling: column for column, spellings in _SPELLINGS.items()
                for spelling in spellings}
_FOLD = re.compile(r"[^a-z0-9]+")
# Content checks, strongest evidence first: a column is taken for the first kind most of
# whose values pass. Digit-only columns (ids, ZIPs, counts) are too ambiguous to guess.
_KINDS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("email", lambda text: normalize_email(text) is not None),
    ("phone", lambda text: len(re.sub(r"\D", "", text)) >= 10
     and normalize_phone(text, region="US") is not None),
    ("dob", lambda text: re.search(r"[-/.]", text) is not None
     and normalize_date(text) is not None),
)


@dataclass(frozen=True)
class ColumnChoice:
    """Where one column of a file goes.

    Attributes:
        position: 0-based column position.
        name: the column's header (made unique: a repeated header gets ' (2)').
        target: canonical column (or `FULL_NAME`), or None when it is kept in extra.
        how: "--map" (the user's choice), "name" (a known spelling), "content" (its values),
            or "unmapped" (kept in extra).
        note: why, when it is not obvious (e.g. the target was taken by another column).
    """

    position: int
    name: str
    target: str | None
    how: Literal["--map", "name", "content", "unmapped"]
    note: str = ""


@dataclass(frozen=True)
class ColumnMapping:
    """A file's columns and where each goes.

    Attributes:
        choices: one per column, in file order.
        header_is_data: the first line held values, not names; it is read as a row.
    """

    choices: tuple[ColumnChoice, ...]
    header_is_data: bool = False

    @property
    def names(self) -> list[str]:
        """The (unique) column names, in file order."""
        return [choice.name for choice in self.choices]

    @property
    def rename(self) -> dict[str, str]:
        """Column name -> target, for `core.records.normalize_row` (extra for the rest)."""
        return {choice.name: choice.target or EXTRA for choice in self.choices}

    @property
    def usable(self) -> bool:
        """Whether some column identifies a person (an identifier or a name)."""
        targets = {choice.target for choice in self.choices}
        return bool(targets & {*IDENTIFYING_COLUMNS, FULL_NAME})

    def refusal(self) -> str:
        """Why a file mapping to nothing usable is refused, and what to do about it."""
        names = ", ".join(repr(name) for name in self.names[:12])
        more = f" and {len(self.names) - 12} more" if len(self.names) > 12 else ""
        return (f"no column identifies a person (the columns are {names}{more}); nothing "
                "was written. Name the columns with --map, e.g. --map 'Mail=email' "
                "--map 'Cell=phone' (targets: " + ", ".join(INPUT_COLUMNS) + ")")


def parse_maps(pairs: Iterable[str]) -> dict[str, str]:
    """Read `--map "Source column=target"` options.

    Args:
        pairs: strings "source=target"; the target is a canonical column, `full_name` (split
            into first and last name), or `extra` (kept aside, uncompared).

    Returns:
        source column -> target.

    Raises:
        InvalidInput: a pair is not `a=b`, a target is unknown, or two sources share a target.

    Example:
        >>> parse_maps(["E-mail=email", "Notes=extra"])
        {'E-mail': 'email', 'Notes': 'extra'}
    """
    rename: dict[str, str] = {}
    for pair in pairs:
        source, sep, target = pair.rpartition("=")
        source, target = source.strip(), target.strip()
        if not sep or not source or not target:
            raise InvalidInput(f"--map expects 'source column=target', got {pair!r}",
                               field="map")
        rename[source] = target
    return check_rename(rename)


def check_rename(rename: Mapping[str, str]) -> dict[str, str]:
    """Validate a rename mapping: known targets, each canonical target used once.

    Raises:
        InvalidInput: a target is unknown, or two sources share a target.

    Example:
        >>> check_rename({"postcode": "zip"})
        {'postcode': 'zip'}
    """
    seen: dict[str, str] = {}
    for source, target in rename.items():
        if target not in TARGETS:
            raise InvalidInput(f"--map {source}={target}: target must be one of "
                               f"{', '.join(TARGETS)}", field="map")
        if target in seen and target != EXTRA:
            raise InvalidInput(f"--map: {seen[target]!r} and {source!r} both map to {target!r}",
                               field="map")
        seen[target] = source
    return dict(rename)


def map_columns(
    header: Sequence[str],
    sample: Sequence[Sequence[str]],
    overrides: Mapping[str, str] | None = None,
) -> ColumnMapping:
    """Decide where each column of a file goes.

    `--map` choices first, then header names (known spellings), then, for columns still
    unmapped, their sampled values (emails, phone numbers with area code, dates). A canonical
    column is taken by the first column that claims it; later claimants are kept in extra with
    a note. A first line without a single known name whose cells look like values is data, not
    a header: its columns are named "column 1".. and it is read as a row.

    Args:
        header: the first line's cells.
        sample: the first rows after it (cells by position), to recognize columns by content.
        overrides: `--map` choices, source column -> target.

    Returns:
        The mapping.

    Raises:
        InvalidInput: a `--map` source names no column of the file.

    Example:
        >>> mapping = map_columns(["Surname", "Contact"], [["Lee", "a@b.co"]])
        >>> [(c.name, c.target, c.how) for c in mapping.choices]
        [('Surname', 'last_name', 'name'), ('Contact', 'email', 'content')]
    """
    overrides = check_rename(overrides or {})
    names = _unique([cell.strip() for cell in header])
    header_is_data = (not overrides and not any(_by_name(name) for name in names)
                      and any(_kind(cell) for cell in header))
    if header_is_data:
        names = [f"column {position + 1}" for position in range(len(header))]
        sample = [list(header), *sample]
    unknown = sorted(set(overrides) - set(names))
    if unknown:
        raise InvalidInput(f"--map {unknown[0]!r}: the file has no such column (its columns: "
                           f"{', '.join(repr(n) for n in names[:20])})", field="map")
    taken: dict[str, str] = {}
    choices: list[ColumnChoice | None] = [None] * len(names)
    for position, name in enumerate(names):  # the user's choices claim their targets first
        if name in overrides:
            target = overrides[name]
            choices[position] = ColumnChoice(position, name, None if target == EXTRA else target,
                                             "--map" if target != EXTRA else "unmapped",
                                             "kept in extra by --map" if target == EXTRA else "")
            taken.setdefault(target, name)
    for position, name in enumerate(names):
        if choices[position] is None and (target := _by_name(name)):
            choices[position] = _claim(position, name, target, "name", taken)
    for position, name in enumerate(names):
        if choices[position] is None:
            values = [row[position] for row in sample if position < len(row)]
            target = _by_content(values, taken)
            choices[position] = (_claim(position, name, target, "content", taken) if target
                                 else ColumnChoice(position, name, None, "unmapped"))
    return ColumnMapping(tuple(c for c in choices if c is not None), header_is_data)


def _claim(position: int, name: str, target: str, how: Literal["name", "content"],
           taken: dict[str, str]) -> ColumnChoice:
    """The column takes `target` unless an earlier column did."""
    if target in taken:
        return ColumnChoice(position, name, None, "unmapped",
                            f"looks like {target}, which {taken[target]!r} holds")
    taken[target] = name
    return ColumnChoice(position, name, target, how)


def _by_name(name: str) -> str | None:
    """The canonical column a header names, if it is a known spelling (or canonical)."""
    folded = _FOLD.sub(" ", name.lower()).strip()
    return _BY_SPELLING.get(folded) or (folded.replace(" ", "_")
                                        if folded.replace(" ", "_") in INPUT_COLUMNS else None)


def _by_content(values: Sequence[str], taken: Mapping[str, str]) -> str | None:
    """The kind of value most of a column's sampled values are, if one is clear."""
    filled = [value.strip() for value in values if value and value.strip()]
    if not filled:
        return None
    for kind, _ in _KINDS:
        if kind not in taken and sum(_kind(value) == kind for value in filled) >= (
                _SAMPLE_SHARE * len(filled)):
            return kind
    return None


def _kind(value: str) -> str | None:
    """The first kind a single value looks like, or None."""
    text = value.strip()
    if not text or len(text) > 100:
        return None
    for kind, check in _KINDS:
        try:
            if check(text):
                return kind
        except InvalidValue:
            continue
    return None


def _unique(names: Sequence[str]) -> list[str]:
    """Header names made unique: a repeated or empty name gets a position suffix."""
    seen: dict[str, int] = {}
    result: list[str] = []
    for position, name in enumerate(names):
        name = name or f"column {position + 1}"
        count = seen[name] = seen.get(name, 0) + 1
        result.append(name if count == 1 else f"{name} ({count})")
    return result
