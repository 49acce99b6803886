"""Records as matching needs them: normalized canonical records plus derived columns.

Normalization itself is `core.records` (one normalizer for ingest, `link`, the HTTP API and the
graph), under one validation policy: a bad value is nulled and reported (`null`) or its row is
rejected (`reject`), every problem of a row said together. Columns that are neither canonical
nor renamed onto a canonical column are kept aside in `extras`: stored with the record, never
compared.

Besides the canonical columns each record gets the derived columns in `DERIVED_COLUMNS`, which
the model compares and blocks on:

- `first_name_roots`: the full names a given name can stand for ('bob' -> 'robert'), or null.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from stormops.core.columns import check_rename, parse_maps
from stormops.core.errors import InvalidInput
from stormops.core.records import (
    CANONICAL_COLUMNS,
    Policy,
    Problem,
    RepeatedIds,
    normalize_row,
)
from stormops.matching._nicknames import name_roots

__all__ = [
    "CANONICAL_COLUMNS", "DERIVED_COLUMNS", "RECORD_COLUMNS", "NormalizedBatch", "Problem",
    "Record", "check_rename", "normalize_record", "normalize_records", "parse_rename",
    "records_columns", "with_derived",
]

DERIVED_COLUMNS: tuple[str, ...] = ("first_name_roots",)
RECORD_COLUMNS: tuple[str, ...] = CANONICAL_COLUMNS + DERIVED_COLUMNS
parse_rename = parse_maps

Record = dict[str, str | None]
"""A normalized record: every `RECORD_COLUMNS` key, values normalized strings or None."""


@dataclass
class NormalizedBatch:
    """Normalized records, in input order, with what was kept aside and what went wrong.

    Attributes:
        records: one `Record` per accepted row.
        extras: per record, the non-canonical columns (stripped strings, empty ones dropped).
        problems: bad values nulled in accepted rows and repeated record ids, in row order.
        lines: per record, its source line (None when it did not come from a file).
        rejected: the problems of rows refused (never written), each row's together.
    """

    records: list[Record]
    extras: list[dict[str, str]]
    problems: list[Problem] = field(default_factory=list)
    lines: list[int | None] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Records without a known line get None."""
        if not self.lines:
            self.lines = [None] * len(self.records)


def with_derived(record: Mapping[str, str | None]) -> Record:
    """A canonical record with the derived columns added.

    Example:
        >>> with_derived({"first_name": "bob"})["first_name_roots"]
        'robert'
    """
    full: Record = dict.fromkeys(RECORD_COLUMNS)
    full.update(record)
    first = full["first_name"]
    full["first_name_roots"] = name_roots(first) if first else None
    return full


def normalize_records(
    rows: Iterable[Mapping[str, object]],
    *,
    rename: Mapping[str, str] | None = None,
    region: str | None = "US",
    policy: Policy = "null",
) -> NormalizedBatch:
    """Normalize a batch of raw rows into canonical records, reporting problems per row.

    Rows may use any column names: `rename` maps them onto canonical ones. A column that is
    both renamed onto a target and present under the target's own name is refused, since it is
    unclear which should win.

    Args:
        rows: raw rows, e.g. from `csv.DictReader`; values of any type, blanks allowed.
        rename: source column -> canonical column (see `core.columns.parse_maps`).
        region: the country of rows that do not say theirs (phones, postcodes).
        policy: "null" keeps a row with its bad values nulled; "reject" refuses it.

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
    batch = NormalizedBatch([], [])
    seen = RepeatedIds()
    checked_keys: set[frozenset[str]] = set()
    for index, row in enumerate(rows):
        keys = frozenset(row)
        if keys not in checked_keys:
            _check_columns(keys, rename)
            checked_keys.add(keys)
        out = normalize_row(row, rename=rename, country=region, policy=policy, index=index)
        if out.rejected:
            batch.rejected.extend(out.problems)
            continue
        batch.records.append(with_derived(out.record))
        batch.extras.append(out.extra)
        batch.lines.append(None)
        batch.problems.extend(out.problems)
        if (repeated := seen.check(str(out.record["record_id"]), index, None)) is not None:
            batch.problems.append(repeated)
    return batch


def normalize_record(
    row: Mapping[str, object],
    *,
    rename: Mapping[str, str] | None = None,
    region: str | None = "US",
) -> tuple[Record, dict[str, str], list[Problem]]:
    """Normalize one raw row under the `null` policy, whatever it holds.

    Args:
        row: one raw row.
        rename: source column -> canonical column.
        region: the country of a row that does not say its own.

    Returns:
        (record, extras, problems); a record identifying nobody carries an "identifiers"
        problem.

    Example:
        >>> record, extras, problems = normalize_record({"first_name": "Bob", "x": "1"})
        >>> record["first_name_roots"], extras
        ('robert', {'x': '1'})
    """
    out = normalize_row(row, rename=check_rename(rename or {}), country=region)
    return with_derived(out.record), out.extra, list(out.problems)


def _check_columns(keys: frozenset[str], rename: Mapping[str, str]) -> None:
    """Refuse a renamed column whose target also arrives under its own name."""
    for source, target in rename.items():
        if source in keys and target in keys and target not in rename:
            raise InvalidInput(
                f"--map {source}={target}: the input already has a {target!r} column",
                field="map",
            )


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
