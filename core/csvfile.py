"""A user's CSV file, read as a stream: whatever its encoding, delimiter and line endings, and
whatever is wrong with some of its lines.

- Encoding: `--encoding`, else a byte order mark (UTF-8, UTF-16, UTF-32), else UTF-8 when the
  first MiB reads as UTF-8 (or mostly does: the lines that do not are reported), else
  Windows-1252, the 8-bit encoding spreadsheets on Western machines write.
- Delimiter: `--delimiter`, else the one of `, ; TAB |` that splits the first lines into the
  most, most consistent columns.
- Lines: CRLF, LF and CR endings; quoted values may hold line breaks. A row is never longer
  than `max_row_bytes` in memory: a longer line is skipped in chunks, so a 2 GB line costs
  what a 1 MiB one does.
- Bad rows are reported by line and skipped, and the rest goes on: a line that does not decode,
  holds NUL bytes or is too long; a quote that is never closed (the lines it would have taken
  in are read again as rows of their own); a row of more values than the header has.
- Blank rows are skipped and counted.

Only reads: nothing here knows what the columns mean (`core.columns`) or what a valid value is
(`core.records`).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, AnyStr

from stormops.core.errors import InvalidInput

DEFAULT_MAX_ROW_BYTES = 1 << 20
SAMPLE_BYTES = 1 << 20
SAMPLE_ROWS = 200
DELIMITERS = (",", ";", "\t", "|")
_CHUNK = 1 << 20
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_BINARY = ((b"PK\x03\x04", "a zip archive (an Excel .xlsx workbook?)"),
           (b"\xd0\xcf\x11\xe0", "an Excel .xls workbook"), (b"%PDF", "a PDF document"))
_ESCAPED = re.compile("[\udc80-\udcff\ufffd]")
_ENDINGS = ("\r\n", "\n", "\r")


@dataclass(frozen=True)
class SourceRow:
    """A row of the file: its first line and its values by position."""

    line: int
    cells: list[str]


@dataclass(frozen=True)
class Unreadable:
    """A row that could not be read, and why: reported, never written.

    Attributes:
        line: its first line.
        last_line: its last line (the same for a one-line row).
        reason: what is wrong, e.g. "byte 0xE9 at column 4 is not valid UTF-8".
    """

    line: int
    last_line: int
    reason: str

    def where(self) -> str:
        """'line 7' or 'lines 7-9'."""
        return (f"line {self.line}" if self.last_line == self.line
                else f"lines {self.line}-{self.last_line}")


class _RowTooLong(Exception):
    """A row ran past the size limit over several lines (an unclosed quote, usually)."""


class CsvFile:
    """A CSV file opened for reading row by row.

    Args:
        path: the file.
        encoding: a Python codec name; None to detect it.
        delimiter: one character; None to detect it.
        max_row_bytes: longest row kept in memory (about, in characters).

    Attributes:
        encoding: the codec used.
        encoding_note: how it was chosen, for the user.
        delimiter: the delimiter used.
        empty_rows: blank rows skipped so far.
        lines: physical lines read so far.

    Raises:
        InvalidInput: unknown encoding, a delimiter that is not one character, a binary file
            (a spreadsheet or PDF rather than CSV).

    Example:
        >>> with CsvFile("contacts.csv") as source:  # doctest: +SKIP
        ...     header = source.header()
        ...     for row in source.rows(): ...
    """

    def __init__(self, path: str | Path, *, encoding: str | None = None,
                 delimiter: str | None = None,
                 max_row_bytes: int = DEFAULT_MAX_ROW_BYTES) -> None:
        self.path = Path(path)
        self.max_row = max_row_bytes
        self.empty_rows = 0
        self.lines = 0
        self._binary = self.path.open("rb")
        try:
            head = self._binary.read(SAMPLE_BYTES)
            self.encoding, self.encoding_note = _encoding(head, encoding)
            self._refuse_binary(head)
            self._binary.seek(0)
            # Lines of an ASCII-based encoding split on b"\n" are read as bytes and decoded one
            # by one (a line too long is skipped without decoding it); UTF-16/32, and files
            # whose lines end in a bare CR, are read through a text layer.
            ascii_based = not self.encoding.startswith(("utf-16", "utf-32"))
            self._stream: IO[bytes] | IO[str] = self._binary
            if not ascii_based or (b"\r" in head and b"\n" not in head):
                self._stream = io.TextIOWrapper(
                    self._binary, encoding=self.encoding, newline="",
                    errors="surrogateescape" if ascii_based else "replace")
            self.delimiter = _delimiter(head, self.encoding, delimiter)
        except BaseException:
            self._binary.close()
            raise
        self._width: int | None = None
        self._buffer: deque[SourceRow | Unreadable] = deque()
        self._parsed = self._parse()
        csv.field_size_limit(max(csv.field_size_limit(), self.max_row))

    def __enter__(self) -> CsvFile:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the file."""
        self._stream.close()

    def header(self) -> SourceRow | None:
        """The first non-blank row (None for a file without one); not given by `rows()`."""
        while True:
            found = self._pull()
            if found is None:
                return None
            if isinstance(found, SourceRow):
                self._width = len(found.cells)
                return found
            self._buffer.append(found)

    def sample(self) -> list[list[str]]:
        """Up to `SAMPLE_ROWS` rows after the header (at most `SAMPLE_BYTES` of them), read
        ahead to recognize columns by content; `rows()` still yields them."""
        kept = [row for row in self._buffer if isinstance(row, SourceRow)]
        size = sum(len(cell) for row in kept for cell in row.cells)
        while len(kept) < SAMPLE_ROWS and size < SAMPLE_BYTES:
            found = self._pull()
            if found is None:
                break
            self._buffer.append(found)
            if isinstance(found, SourceRow):
                kept.append(found)
                size += sum(len(cell) for cell in found.cells)
        return [row.cells for row in kept]

    def rows(self) -> Iterator[SourceRow | Unreadable]:
        """The rows after the header, in file order, with the unreadable ones in place."""
        while True:
            found = self._buffer.popleft() if self._buffer else self._pull()
            if found is None:
                return
            yield found

    def _pull(self) -> SourceRow | Unreadable | None:
        return next(self._parsed, None)

    def _refuse_binary(self, head: bytes) -> None:
        for magic, what in _BINARY:
            if head.startswith(magic):
                raise InvalidInput(f"{self.path.name} is {what}, not a CSV file: save it as "
                                   "CSV (UTF-8) and try again", field="input")
        first_line = re.split(rb"[\r\n]", head, maxsplit=1)[0]
        if b"\x00" in first_line and not self.encoding.startswith(("utf-16", "utf-32")):
            raise InvalidInput(f"{self.path.name} is not a text file (its first line holds NUL "
                               "bytes)", field="input")

    def _parse(self) -> Iterator[SourceRow | Unreadable]:
        """Rows from the lines, re-reading the lines after a quote that went wrong."""
        lines = _Lines(self._physical_lines(), self.max_row)
        while True:
            reader = csv.reader(lines, delimiter=self.delimiter)
            try:
                for cells in reader:
                    span = lines.take()
                    found, again = self._row(cells, span)
                    if found is not None:
                        yield found
                    if again:
                        lines.push_back(span[1:])
                        break
                else:
                    return
            except (csv.Error, _RowTooLong) as exc:
                span = lines.take()
                reason = (f"a quoted value runs past {self.max_row:,} characters (a quote that "
                          "is never closed?)" if isinstance(exc, _RowTooLong) else str(exc))
                lines.push_back(span[1:])
                yield Unreadable(span[0][0], span[0][0], reason)

    def _row(self, cells: list[str], span: list[tuple[int, str, str | None]]
             ) -> tuple[SourceRow | Unreadable | None, bool]:
        """One parsed row: kept, refused with the reason, or None when blank; and whether the
        lines after its first are to be read again (its quote swallowed them)."""
        first, last = span[0][0], span[-1][0]
        width = self._width
        if width is not None and len(span) > 1 and (len(cells) != width or any(
                text.count(self.delimiter) >= max(width - 1, 2) or problem
                for _, text, problem in span[1:])):
            return Unreadable(first, first, f"a quote opened on line {first} is not closed "
                                            f"before line {last}; the lines after it are read "
                                            "as rows of their own"), True
        bad = next(((number, problem) for number, _, problem in span if problem), None)
        if bad is not None:
            where = f"line {bad[0]}: " if len(span) > 1 else ""
            return Unreadable(first, last, where + str(bad[1])), False
        if not any(cell.strip() for cell in cells):
            self.empty_rows += 1
            return None, False
        if width is not None and len(cells) > width:
            return Unreadable(first, last, f"{len(cells):,} values where the header has "
                                           f"{width} (a value holding {self.delimiter!r} must "
                                           "be quoted)"), False
        return SourceRow(first, cells), False

    def _physical_lines(self) -> Iterator[tuple[int, str, str | None]]:
        """(line number, text, problem or None) per line; a bad line's text is a bare line
        break, so it ends whatever row it is in."""
        raw = self._stream is self._binary
        for piece, skipped in _read_lines(self._stream.readline, self.max_row,
                                          (b"\n",) if raw else _ENDINGS):
            self.lines += 1
            if skipped is not None:
                unit = "bytes" if raw else "characters"
                yield self.lines, "\n", (f"longer than {self.max_row:,} {unit} "
                                         f"({skipped:,}); skipped")
                continue
            text = (piece.decode(self.encoding, "surrogateescape")  # type: ignore[union-attr]
                    if raw else piece)
            problem = self._undecodable(text) or (
                "holds NUL bytes (binary data, not text)" if "\x00" in text else None)
            yield self.lines, "\n" if problem else text, problem  # type: ignore[misc]

    def _undecodable(self, text: str) -> str | None:
        """Why a line did not decode (the byte and where), or None."""
        found = _ESCAPED.search(text)
        if found is None:
            return None
        char = found.group()
        what = "a byte" if char == "\ufffd" else f"byte 0x{ord(char) - 0xDC00:02X}"
        return (f"{what} at column {found.start() + 1} is not valid {self.encoding} (pass "
                "--encoding, e.g. cp1252 or latin-1, if the file is in another encoding)")


class _Lines:
    """The line iterator the csv module reads: lines can be pushed back to be read again,
    and what a row took is handed over with `take()`."""

    def __init__(self, lines: Iterator[tuple[int, str, str | None]], limit: int) -> None:
        self._lines = lines
        self._limit = limit
        self._again: deque[tuple[int, str, str | None]] = deque()
        self._taken: list[tuple[int, str, str | None]] = []
        self._size = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._again.popleft() if self._again else next(self._lines)
        self._taken.append(line)
        self._size += len(line[1])
        if self._size > self._limit and len(self._taken) > 1:
            raise _RowTooLong
        return line[1]

    def take(self) -> list[tuple[int, str, str | None]]:
        """The lines read since the last take."""
        taken, self._taken, self._size = self._taken, [], 0
        return taken

    def push_back(self, lines: list[tuple[int, str, str | None]]) -> None:
        """Read these lines again, next."""
        self._again.extendleft(reversed(lines))


def _read_lines(read: Callable[[int], AnyStr], limit: int, endings: tuple[AnyStr, ...]
                ) -> Iterator[tuple[AnyStr, int | None]]:
    """Lines of at most `limit` units (bytes or characters), each with None; a longer line is
    read on in chunks and dropped, given as (empty, its length)."""
    while piece := read(limit + 1):
        if len(piece) <= limit or piece.endswith(endings):
            yield piece, None
            continue
        size = len(piece)
        while (chunk := read(_CHUNK)) and not chunk.endswith(endings):
            size += len(chunk)
        yield piece[:0], size + len(chunk)


def _encoding(head: bytes, given: str | None) -> tuple[str, str]:
    """The codec to read with, and how it was chosen."""
    if given:
        try:
            return codecs.lookup(given).name, f"{given} (given)"
        except LookupError:
            raise InvalidInput(f"--encoding: unknown encoding {given!r} (e.g. utf-8, cp1252, "
                               "latin-1, utf-16)", field="encoding") from None
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec, f"{codec} (byte order mark)"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8", "utf-8"
    except UnicodeDecodeError:
        pass
    text = head.decode("utf-8", "surrogateescape")
    if any(ord(char) > 127 and not 0xDC80 <= ord(char) <= 0xDCFF for char in text):
        return "utf-8", "utf-8 (detected; lines that are not UTF-8 are reported)"
    return "cp1252", ("cp1252 (detected: the file is not UTF-8, so it is read as Windows-1252, "
                      "Western European; pass --encoding if that is wrong)")


def _delimiter(head: bytes, encoding: str, given: str | None) -> str:
    """The delimiter splitting the first lines into the most, most consistent columns."""
    if given is not None:
        if given in ("\\t", "tab", "TAB"):
            return "\t"
        if len(given) != 1 or given in "\r\n\"":
            raise InvalidInput(f"--delimiter: expected one character such as ',' or ';', got "
                               f"{given!r}", field="delimiter")
        return given
    text = head.decode(encoding, "replace")
    lines = [line for line in text.splitlines()[:-1 if len(head) >= SAMPLE_BYTES else None]
             if line.strip()][:20]
    best, score = ",", (0.0, 1)
    for candidate in DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=candidate)]
        if not widths or widths[0] < 2:
            continue
        found = (sum(width == widths[0] for width in widths) / len(widths), widths[0])
        if found > score:
            best, score = candidate, found
    return best
