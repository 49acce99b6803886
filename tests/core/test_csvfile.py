"""`core.csvfile`: files in any encoding, delimiter and line ending; bad lines reported by
number and skipped, the rest read; memory bounded by the longest row kept, not the file."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from stormops.core.csvfile import CsvFile, SourceRow, Unreadable
from stormops.core.errors import InvalidInput


def _read(path: Path, **options) -> tuple[CsvFile, list[str] | None, list]:
    with CsvFile(path, **options) as source:
        header = source.header()
        rows = list(source.rows())
    return source, header.cells if header else None, rows


def _cells(rows: list) -> list[tuple[int, list[str]]]:
    return [(row.line, row.cells) for row in rows if isinstance(row, SourceRow)]


def _unreadable(rows: list) -> list[tuple[int, str]]:
    return [(row.line, row.reason) for row in rows if isinstance(row, Unreadable)]


def test_bom_crlf_semicolons_and_quoted_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffName;Street;Zip\r\n\"Connor; Sarah\";\"12 Oak St\r\nApt 4\";78701"
                     "\r\n;;\r\nLee;9 Pine;78704\r\n".encode())
    source, header, rows = _read(path)
    assert (source.encoding, source.delimiter, header) == ("utf-8-sig", ";",
                                                           ["Name", "Street", "Zip"])
    assert _cells(rows) == [(2, ["Connor; Sarah", "12 Oak St\r\nApt 4", "78701"]),
                            (5, ["Lee", "9 Pine", "78704"])]
    assert source.empty_rows == 1 and source.lines == 5


def test_a_latin1_file_is_detected_and_an_explicit_encoding_wins(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes("name,city\nRenée,Zürich\n".encode("latin-1"))
    source, _, rows = _read(path)
    assert source.encoding == "cp1252" and _cells(rows) == [(2, ["Renée", "Zürich"])]
    source, _, rows = _read(path, encoding="latin-1")
    assert "given" in source.encoding_note and _cells(rows) == [(2, ["Renée", "Zürich"])]
    with pytest.raises(InvalidInput, match="unknown encoding"):
        CsvFile(path, encoding="klingon")


def test_utf16_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "unicode.csv"
    path.write_bytes("email\tname\r\na@b.co\tZoë\r\n".encode("utf-16"))
    source, header, rows = _read(path)
    assert (source.encoding, source.delimiter, header) == ("utf-16", "\t", ["email", "name"])
    assert _cells(rows) == [(2, ["a@b.co", "Zoë"])]


def test_an_undecodable_line_is_reported_by_number_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes("name,city\nJosé,Málaga\nRen\xe9e,Paris\nZoë,Köln\n".encode()
                     .replace(b"Ren\xc3\xa9e", b"Ren\xe9e"))
    source, _, rows = _read(path)
    assert source.encoding == "utf-8"
    assert _cells(rows) == [(2, ["José", "Málaga"]), (4, ["Zoë", "Köln"])]
    [(line, reason)] = _unreadable(rows)
    assert line == 3 and "byte 0xE9 at column 4 is not valid utf-8" in reason


def test_an_unclosed_quote_is_reported_and_the_lines_it_swallowed_read_again(
        tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('email,name,zip\na@b.co,"Ann,78701\nb@b.co,Bo,78702\nc@b.co,Cy,78703\n')
    _, _, rows = _read(path)
    assert _cells(rows) == [(3, ["b@b.co", "Bo", "78702"]), (4, ["c@b.co", "Cy", "78703"])]
    [(line, reason)] = _unreadable(rows)
    assert line == 2 and "not closed" in reason


def test_rows_wider_than_the_header_nul_bytes_and_cr_endings(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(b"email,name\ra@b.co,Ann\rb@b.co,Bo,extra,more\rc@b.co,C\x00y\rd@b.co,Di\r")
    _, _, rows = _read(path)
    assert _cells(rows) == [(2, ["a@b.co", "Ann"]), (5, ["d@b.co", "Di"])]
    reasons = dict(_unreadable(rows))
    assert "4 values where the header has 2" in reasons[3] and "NUL" in reasons[4]


def test_a_row_of_ten_thousand_values_is_refused_alone(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("email,name\n" + ",".join(["x"] * 10_000) + "\na@b.co,Ann\n")
    _, _, rows = _read(path)
    assert _cells(rows) == [(3, ["a@b.co", "Ann"])]
    assert "10,000 values" in _unreadable(rows)[0][1]


def test_a_huge_line_is_skipped_in_bounded_memory(tmp_path: Path) -> None:
    """A 48 MiB line read with a 1 MiB row limit: the reader's peak allocation stays a small
    multiple of the limit (8 MiB here; holding the line would take 48 MiB and more)."""
    path = tmp_path / "huge.csv"
    with path.open("w") as fh:
        fh.write("email,notes\na@b.co,first\nb@b.co,")
        chunk = "x" * (1 << 20)
        for _ in range(48):
            fh.write(chunk)
        fh.write("\nc@b.co,last\n")
    tracemalloc.start()
    try:
        _, _, rows = _read(path, max_row_bytes=1 << 20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert _cells(rows) == [(2, ["a@b.co", "first"]), (4, ["c@b.co", "last"])]
    [(line, reason)] = _unreadable(rows)
    assert line == 3 and "longer than 1,048,576 bytes" in reason
    assert peak < 8 * (1 << 20), peak


def test_a_spreadsheet_is_refused_as_not_csv(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(200))
    with pytest.raises(InvalidInput, match="Excel"):
        CsvFile(path)


def test_an_empty_file_has_no_header(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("\n\n")
    assert _read(path)[1] is None
