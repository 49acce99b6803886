"""A user's file on the command line: the options every file-reading command shares, the column
mapping shown before anything is written, and what became of every row, shown after."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from stormops.cli._common import console, err

if TYPE_CHECKING:
    from stormops.core.intake import Intake, SourceRecord
    from stormops.core.settings import Settings

SHOWN = 20  # problems printed per kind; --problems writes them all

Input = Annotated[Path, typer.Option(exists=True, dir_okay=False,
                                     help="CSV of records (any encoding and delimiter).")]
Maps = Annotated[list[str] | None, typer.Option(
    "--map", help="Say where a column goes, e.g. --map 'Family Name=last_name' (repeatable). "
                  "Targets: a canonical column, full_name (split into first and last name) or "
                  "extra (kept, not compared). Columns are otherwise mapped by name and content.")]
Encoding = Annotated[str | None, typer.Option(
    help="The file's encoding (utf-8, cp1252, latin-1, utf-16 ...); detected if omitted.")]
Delimiter = Annotated[str | None, typer.Option(
    help="The delimiter: ',' ';' 'tab' '|' ...; detected if omitted.")]
Invalid = Annotated[str | None, typer.Option(
    "--invalid", help="What a bad value does: 'null' keeps the row without it (its text kept "
                      "in extra), 'reject' refuses the row. Default: STORMOPS_INVALID_VALUES "
                      "or null.")]
Country = Annotated[str | None, typer.Option(
    help="Country of rows without a country column (phones without a +code, postcodes), "
         "e.g. GB; 'none' keeps such values as written. Default: STORMOPS_COUNTRY or US.")]
Source = Annotated[str | None, typer.Option(
    help="Source name for records without a source column (default: the file's name).")]
Problems = Annotated[Path | None, typer.Option(
    "--problems", dir_okay=False,
    help="Write every problem (line, record_id, field, message, what happened) to this CSV.")]


@contextmanager
def open_input(settings: Settings, path: Path, maps: list[str] | None, encoding: str | None,
               delimiter: str | None, invalid: str | None, country: str | None
               ) -> Iterator[tuple[Intake, Iterator[SourceRecord]]]:
    """The file opened and its columns mapped; the mapping is printed before any row is read
    for writing (raises `InvalidInput` for a file that cannot get in at all)."""
    # Imported here: the column sniffers and phone tables are only needed to read a file.
    from stormops.core.columns import parse_maps
    from stormops.core.intake import read_file
    from stormops.core.normalize import normalize_country
    from stormops.core.records import check_policy

    region = settings.phone_region if country is None else (
        normalize_country(country, "country") or "")
    policy = check_policy(invalid or settings.invalid_values)
    with read_file(path, maps=parse_maps(maps or []), policy=policy, country=region or None,
                   encoding=encoding, delimiter=delimiter) as (intake, rows):
        print_mapping(intake)
        yield intake, rows


def print_mapping(intake: Intake) -> None:
    """How the file is read and where each column goes."""
    delimiter = {"\t": "tab"}.get(intake.delimiter, intake.delimiter)
    console.print(f"Reading {intake.path.name}: encoding {intake.encoding}, delimiter "
                  f"{delimiter!r}, country {intake.country or 'unknown'}; invalid values: "
                  f"{intake.policy_text()}")
    if intake.mapping.header_is_data:
        console.print("The first line holds values, not column names: it is read as a row.")
    table = Table("column", "goes to", "how", box=None, pad_edge=False)
    unmapped = [c for c in intake.mapping.choices if c.target is None and not c.note]
    for choice in intake.mapping.choices:
        if choice.target is None and not choice.note and len(unmapped) > SHOWN:
            continue
        table.add_row(choice.name, choice.target or "extra",
                      choice.note or {"--map": "--map", "name": "by name",
                                      "content": "by its values",
                                      "unmapped": "kept, not compared"}[choice.how])
    console.print(table)
    if len(unmapped) > SHOWN:
        console.print(f"and {len(unmapped):,} more columns kept in extra, not compared")


def print_intake(intake: Intake, problems_file: Path | None) -> None:
    """What became of every row: counts on stdout; the rows refused and the values nulled, by
    line, on stderr (all of them in `problems_file`)."""
    from stormops.core.records import POLICIES

    console.print(
        f"lines {intake.lines:,}: rows {intake.rows:,}, accepted {intake.accepted:,}, "
        f"rejected {intake.rejected_rows:,}, unreadable {len(intake.unreadable):,}, "
        f"blank {intake.blank:,} (skipped)")
    rejected: dict[int, list[str]] = {}
    line_of: dict[int, int | None] = {}
    for problem in intake.rejected:
        rejected.setdefault(problem.row, []).append(f"{problem.field}: {problem.message}")
        line_of[problem.row] = problem.line
    sections = [
        ("unreadable, skipped", [f"{u.where()}: {u.reason}" for u in intake.unreadable]),
        (f"rejected ({POLICIES['reject'] if intake.policy == 'reject' else 'nothing to link'})",
         [f"line {line_of[row]}: " + "; ".join(reasons) for row, reasons in rejected.items()]),
        ("kept, with these values nulled or noted" if intake.policy == "null" else "noted",
         [f"{p.where()}: {p.field}: {p.message}" for p in intake.problems]),
    ]
    for title, lines in sections:
        if not lines:
            continue
        err.print(f"{len(lines):,} {title}:")
        for line in lines[:SHOWN]:
            err.print(f"  {line}", markup=False, highlight=False)
        if len(lines) > SHOWN:
            err.print(f"  ... and {len(lines) - SHOWN:,} more (all of them: --problems FILE)")
    if problems_file is not None:
        write_problems(intake, problems_file)
        console.print(f"Every problem written to {problems_file}.")


def write_problems(intake: Intake, path: Path) -> None:
    """Every problem as CSV: line, record_id, field, message, and what happened to the row."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["line", "record_id", "field", "message", "row"])
        for unreadable in intake.unreadable:
            writer.writerow([unreadable.line, "", "", unreadable.reason, "unreadable"])
        for problem in intake.rejected:
            writer.writerow([problem.line, problem.record_id, problem.field, problem.message,
                             "rejected"])
        for problem in intake.problems:
            writer.writerow([problem.line, problem.record_id, problem.field, problem.message,
                             "kept"])


def refuse_if_empty(intake: Intake, problems_file: Path | None) -> None:
    """A file none of whose rows could be accepted: said, nothing written, exit 1."""
    if intake.accepted:
        return
    print_intake(intake, problems_file)
    err.print("[red]error:[/red] no row of the file can be written; nothing was written")
    raise typer.Exit(1)
