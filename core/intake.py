"""A user's file in, row by row: read (`core.csvfile`), columns mapped (`core.columns`),
values normalized under the validation policy (`core.records`), and every row accounted for.

Every data row ends up in exactly one of: accepted (yielded, possibly with nulled values
reported), rejected (reported with all its problems), unreadable (reported with the reason),
or blank (counted). `Intake.accounted()` checks that nothing fell through. Streams: a row is
normalized when the caller asks for it, so a file of any size passes through in the memory of
its longest row.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from stormops.core.columns import ColumnMapping, map_columns
from stormops.core.csvfile import DEFAULT_MAX_ROW_BYTES, CsvFile, SourceRow, Unreadable
from stormops.core.errors import InvalidInput
from stormops.core.records import POLICIES, Policy, Problem, RepeatedIds, normalize_row


@dataclass(frozen=True)
class SourceRecord:
    """An accepted row: its source line, normalized canonical record and extra columns."""

    line: int
    record: dict[str, str | None]
    extra: dict[str, str]


@dataclass
class Intake:
    """How a file was read and what became of each row (filled in as rows are read).

    Attributes:
        path: the file.
        encoding: how the encoding was chosen.
        delimiter: the delimiter.
        mapping: where each column goes.
        policy: the validation policy ("null" or "reject").
        country: the country of rows that do not say theirs (None: unknown).
        rows: data rows read (blank ones not counted).
        accepted: rows yielded to be written.
        blank: blank rows skipped.
        lines: physical lines read.
        unreadable: rows that could not be read, with why.
        rejected: problems of the rows refused (each row's together, in line order).
        problems: bad values nulled in accepted rows, and repeated record ids.
    """

    path: Path
    encoding: str
    delimiter: str
    mapping: ColumnMapping
    policy: Policy
    country: str | None
    rows: int = 0
    accepted: int = 0
    blank: int = 0
    lines: int = 0
    unreadable: list[Unreadable] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        """Number of rows refused."""
        return len({problem.row for problem in self.rejected})

    def accounted(self) -> bool:
        """Whether every data row is accepted, rejected or reported unreadable."""
        return self.rows == self.accepted + self.rejected_rows

    def policy_text(self) -> str:
        """The policy in words, for reports."""
        return f"{self.policy}: {POLICIES[self.policy]}"


@contextmanager
def read_file(
    path: str | Path,
    *,
    maps: Mapping[str, str] | None = None,
    policy: Policy = "null",
    country: str | None = "US",
    encoding: str | None = None,
    delimiter: str | None = None,
    max_row_bytes: int = DEFAULT_MAX_ROW_BYTES,
) -> Iterator[tuple[Intake, Iterator[SourceRecord]]]:
    """Open a user's CSV file: its columns are mapped before any row is read for writing.

    Args:
        path: the file.
        maps: `--map` choices, source column -> target.
        policy: what a bad value does to its row.
        country: the country of rows that do not say theirs.
        encoding: codec name, or None to detect.
        delimiter: one character, or None to detect.
        max_row_bytes: the longest row read (longer rows are reported and skipped).

    Yields:
        (the intake report, the accepted rows). The report is complete once the rows are.

    Raises:
        InvalidInput: the file is empty, binary, or no column identifies a person (nothing
            is read for writing then), or an option is invalid.

    Example:
        >>> with read_file("contacts.csv") as (intake, rows):  # doctest: +SKIP
        ...     print(intake.mapping.choices); records = list(rows)
    """
    with CsvFile(path, encoding=encoding, delimiter=delimiter,
                 max_row_bytes=max_row_bytes) as source:
        header = source.header()
        if header is None:
            raise InvalidInput(f"{Path(path).name} holds no rows; nothing was written",
                               field="input")
        mapping = map_columns(header.cells, source.sample(), maps)
        if not mapping.usable:
            raise InvalidInput(mapping.refusal(), field="map")
        intake = Intake(Path(path), source.encoding_note, source.delimiter, mapping, policy,
                        country)
        yield intake, _records(intake, source, header)


def _records(intake: Intake, source: CsvFile, header: SourceRow) -> Iterator[SourceRecord]:
    """The accepted rows, filling in the report as they are read."""
    names, rename = intake.mapping.names, intake.mapping.rename
    seen = RepeatedIds()
    rows = source.rows()
    if intake.mapping.header_is_data:
        rows = _chain(header, rows)
    for item in rows:
        if isinstance(item, Unreadable):
            intake.unreadable.append(item)
            continue
        index = intake.rows
        intake.rows += 1
        out = normalize_row(dict(zip(names, item.cells, strict=False)), rename=rename,
                            country=intake.country, policy=intake.policy, index=index,
                            line=item.line)
        if out.rejected:
            intake.rejected.extend(out.problems)
            continue
        intake.accepted += 1
        intake.problems.extend(out.problems)
        record_id = str(out.record["record_id"])
        if len(item.cells) < len(names):
            intake.problems.append(Problem(
                index, record_id, "columns", f"{len(item.cells)} values where the header has "
                f"{len(names)}; the missing ones are taken as empty", item.line))
        if (repeated := seen.check(record_id, index, item.line)) is not None:
            intake.problems.append(repeated)
        yield SourceRecord(item.line, out.record, out.extra)
    intake.blank, intake.lines = source.empty_rows, source.lines


def _chain(first: SourceRow, rest: Iterator[SourceRow | Unreadable]
           ) -> Iterator[SourceRow | Unreadable]:
    yield first
    yield from rest
