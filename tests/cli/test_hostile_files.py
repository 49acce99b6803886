"""Hostile files through `stormops ingest` and `stormops link` into new tenants, against a real
Neo4j: each file either gets in, or is refused saying why with nothing written; every
accepted row is in the graph at its line, and every other row is reported by line.

The files are written here, at test time, the way people make them: a spreadsheet export in
Windows-1252 with a blank row and a stray quote, semicolons and CRLF from a European Excel,
a headerless paste, a 10,000-column row, a 2 GB file holding one enormous line.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from stormops.cli.main import app
from stormops.core.settings import Settings
from stormops.graph.records import RecordGraph
from stormops.matching.normalize import RECORD_COLUMNS
from stormops.samples.contacts import CONTACTS

runner = CliRunner()

@pytest.fixture
def model_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "models"
    monkeypatch.setenv("STORMOPS_MODEL_DIR", str(folder))
    return folder


@pytest.fixture
def records(driver: Driver, settings: Settings) -> RecordGraph:
    return RecordGraph(driver, settings.neo4j_database, columns=RECORD_COLUMNS)


def _said(result) -> str:
    """Output (stdout and stderr) with rich's line wrapping undone."""
    return " ".join(result.output.split())


def _run(*args: str) -> object:
    return runner.invoke(app, [*args], catch_exceptions=False)


def _stored(records: RecordGraph, tenant: str) -> dict[int, dict]:
    """The tenant's records by source line: id, identity, a few columns and extra."""
    columns = ["line", "source", "first_name", "email", "phone", "zip", "country", "dob"]
    found = {}
    for record_id, identity_id, values in records.export_rows(tenant, columns):
        row = dict(zip(columns, values, strict=True))
        found[row.pop("line")] = {"record_id": record_id, "identity_id": identity_id, **row}
    return found


def _nodes(driver: Driver, settings: Settings, tenant: str) -> int:
    with driver.session(database=settings.neo4j_database) as session:
        return session.run("MATCH (n {tenant_id: $t}) RETURN count(n) AS n",
                           t=tenant).single()["n"]


def _reviews(driver: Driver, settings: Settings, tenant: str) -> list[dict]:
    with driver.session(database=settings.neo4j_database) as session:
        return [json.loads(row["evidence"]) for row in session.run(
            "MATCH (v:ReviewItem {tenant_id: $t}) RETURN v.evidence AS evidence", t=tenant)]


def test_a_first_hand_written_file_gets_in_line_by_line(
    tmp_path: Path, driver: Driver, settings: Settings, records: RecordGraph, tenant: str,
    model_dir: Path,
) -> None:
    path = tmp_path / "contacts.csv"
    path.write_bytes(CONTACTS.encode("cp1252"))
    out = _run("ingest", "-t", tenant, "--input", str(path))
    said = _said(out)
    assert out.exit_code == 0, out.output
    # the mapping, before anything else; how the file was read; which model and why
    assert said.index("E-mail email by name") < said.index("records 14")
    assert "encoding cp1252 (detected" in said and "country US" in said
    assert "no model of its own yet (13 records, fewer than the 1,000" in said
    assert "rows 14, accepted 14, rejected 0, unreadable 0, blank 1 (skipped)" in said
    assert "line 9: email: expected an email address, got 'bob@@example'" in said
    assert "line 9: dob: dob:" not in said
    assert "line 14: record_id: the same values as line 13" in said

    stored = _stored(records, tenant)
    # every data line is a record at its line (13 and 14 are one record: the same values)
    assert sorted(stored) == [2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 14, 15, 16]
    assert {row["source"] for row in stored.values()} == {"contacts.csv"}
    assert stored[8]["first_name"] == "renee"  # the Latin-1 byte read as é
    assert (stored[6]["zip"], stored[6]["country"], stored[6]["phone"]) == (
        "SW1A 2AA", "GB", "+447700900123")
    assert (stored[12]["zip"], stored[12]["phone"]) == ("EC1A 1BB", "+447700900456")
    assert (stored[4]["email"], stored[4]["zip"]) == ("john.smith@example.com", "78701")
    assert stored[9]["email"] is None and stored[9]["dob"] is None  # nulled, and kept as given:
    with driver.session(database=settings.neo4j_database) as session:
        extra = session.run("MATCH (r:Record {tenant_id: $t, record_id: $id}) "
                            "RETURN r.extra AS x", t=tenant,
                            id=stored[9]["record_id"]).single(strict=True)["x"]
    assert json.loads(extra) == {"E-mail": "bob@@example", "DOB": "13/45/1999"}
    # Sarah Connor and Sara Conner are not joined by exact rules, nor left apart unnoticed
    assert stored[2]["identity_id"] != stored[3]["identity_id"]
    close = {tuple(sorted(r["record_ids"])): r for r in _reviews(driver, settings, tenant)}
    pair = close[tuple(sorted((stored[2]["record_id"], stored[3]["record_id"])))]
    assert pair["reason"] == "close_pair" and pair["model_version"].startswith("prior-")
    assert pair["comparisons"]["dob"]["level"] == "exact"
    assert pair["comparisons"]["email"]["level"] == "different"
    assert not list(model_dir.rglob("model-*.json"))  # too few records to train on

    exported = tmp_path / "out.csv"
    assert _run("export", "-t", tenant, "--output", str(exported), "-c", "E-mail").exit_code == 0
    with exported.open(newline="") as fh:
        rows = {int(row["line"]): row for row in csv.DictReader(fh)}
    assert rows[9]["E-mail"] == "bob@@example" and rows[9]["record_id"].startswith("h:")
    assert set(rows) == set(stored)

    again = _run("ingest", "-t", tenant, "--input", str(path))
    assert "newly linked 0, identities created 0, merges 0, review items 0" in _said(again)


def test_link_reads_the_same_file_the_same_way_and_rejects_under_reject(
    tmp_path: Path, driver: Driver, settings: Settings, records: RecordGraph, tenant: str,
    model_dir: Path,
) -> None:
    path = tmp_path / "contacts.csv"
    path.write_bytes(CONTACTS.encode("cp1252"))
    out = _run("link", "-t", tenant, "--input", str(path), "--invalid", "reject")
    said = _said(out)
    assert out.exit_code == 0, out.output
    assert "rows 14, accepted 12, rejected 2" in said
    assert ("line 9: dob: expected a date such as 1971-03-04 or 03/04/1971, got '13/45/1999'; "
            "email: expected an email address, got 'bob@@example'") in said
    assert "line 15: phone: expected a US phone number" in said
    assert sorted(_stored(records, tenant)) == [2, 3, 4, 5, 6, 8, 10, 11, 12, 14, 16]
    assert len(_reviews(driver, settings, tenant)) == 1  # Sarah / Sara


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("numbers.csv", b"Ref,Amount\n1001,20\n1002,30\n", "no column identifies a person"),
    ("book.xlsx", b"PK\x03\x04" + bytes(100), "Excel"),
    ("empty.csv", b"\n\n", "holds no rows"),
    ("blank_people.csv", b"email,Notes\nnot-an-email,call\n,,\n", "no row of the file can"),
])
@pytest.mark.parametrize("command", ["ingest", "link"])
def test_a_refused_file_says_why_and_writes_nothing(
    tmp_path: Path, driver: Driver, settings: Settings, tenant: str, model_dir: Path,
    name: str, content: bytes, reason: str, command: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    out = _run(command, "-t", tenant, "--input", str(path))
    assert out.exit_code == 1 and reason in _said(out), out.output
    assert "Traceback" not in out.output
    assert _nodes(driver, settings, tenant) == 0


def _lines_in(records: RecordGraph, tenant: str) -> list[int]:
    return sorted(_stored(records, tenant))


def test_excel_europe_bom_crlf_semicolons_and_line_breaks_in_quotes(
    tmp_path: Path, records: RecordGraph, tenant: str, model_dir: Path,
) -> None:
    path = tmp_path / "europe.csv"
    path.write_bytes("\ufeffVorname;Nachname;E-Mail;Adresse;PLZ\r\n"
                     "Jürgen;Müller;j.mueller@example.de;\"Hauptstr. 5\r\n2. OG\";10115\r\n"
                     "Anna;Schmidt;anna@example.de;\"Ring 1; Hof\";80331\r\n".encode())
    out = _run("ingest", "-t", tenant, "--input", str(path), "--country", "DE",
               "--map", "Vorname=first_name", "--map", "Nachname=last_name",
               "--map", "Adresse=address", "--map", "PLZ=zip")
    said = _said(out)
    assert out.exit_code == 0, out.output
    assert "delimiter ';'" in said and "E-Mail email by name" in said
    stored = _stored(records, tenant)
    assert sorted(stored) == [2, 4]
    assert (stored[2]["first_name"], stored[2]["zip"], stored[2]["country"]) == (
        "jurgen", "10115", None)


def test_broken_lines_are_reported_and_the_rest_gets_in(
    tmp_path: Path, records: RecordGraph, tenant: str, model_dir: Path,
) -> None:
    lines = ["email,first_name,zip",
             "a@example.com,Ann,78701",
             'b@example.com,"Bo,78702',  # a quote never closed
             "c@example.com,Cy,78703",
             ",".join(["x"] * 10_000),  # 10,000 values
             "d@example.com,D\x00i,78704",  # NUL bytes
             "e@example.com,Evé,78705"]
    body = ("\n".join(lines) + "\n").encode() + "f@example.com,Zoë,78706\n".encode("latin-1")
    path = tmp_path / "broken.csv"
    path.write_bytes(body + b"g@example.com,Gus,78707\n")
    out = _run("ingest", "-t", tenant, "--input", str(path))
    said = _said(out)
    assert out.exit_code == 0, out.output
    assert _lines_in(records, tenant) == [2, 4, 7, 9]
    for line, reason in [(3, "not closed"), (5, "10,000 values where the header has 3"),
                         (6, "NUL"), (8, "byte 0xEB at column 17 is not valid utf-8")]:
        assert f"line {line}: " in said and reason in said
    assert "unreadable 4" in said


def test_a_headerless_file_is_read_from_its_first_line(
    tmp_path: Path, records: RecordGraph, tenant: str, model_dir: Path,
) -> None:
    path = tmp_path / "paste.csv"
    path.write_text("ann@example.com,(512) 555-0101,Ann Lee\nbo@example.com,512-555-0102,Bo\n")
    out = _run("link", "-t", tenant, "--input", str(path), "--map", "column 3=full_name")
    assert out.exit_code == 1 and "no such column" in _said(out)  # names come from the data
    out = _run("link", "-t", tenant, "--input", str(path))
    assert out.exit_code == 0 and "first line holds values" in _said(out), out.output
    stored = _stored(records, tenant)
    assert sorted(stored) == [1, 2] and stored[1]["phone"] == "+15125550101"


def test_utf16_tab_separated(tmp_path: Path, records: RecordGraph, tenant: str,
                             model_dir: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes("Email\tName\r\nzoe@example.com\tZoë Saldaña\r\n".encode("utf-16"))
    out = _run("ingest", "-t", tenant, "--input", str(path))
    assert out.exit_code == 0, out.output
    assert _stored(records, tenant)[2]["first_name"] == "zoe"


# Runs `stormops` and prints the process's peak resident memory (VmHWM) as it ends: read
# from inside, since a child's rusage also counts the parent it was forked from.
_WITH_PEAK = ("import runpy\ntry:\n    runpy.run_module('stormops.cli.main', run_name='__main__')"
              "\nfinally:\n    print(next(line for line in open('/proc/self/status')"
              " if line.startswith('VmHWM')))")


def _peak_rss_kib(args: list[str], log: Path) -> tuple[int, str]:
    """Run a `stormops` command (it must succeed); its peak RSS in KiB and its output."""
    with log.open("w") as out:
        done = subprocess.run([sys.executable, "-c", _WITH_PEAK, *args], stdout=out,
                              stderr=subprocess.STDOUT, env={**os.environ, "COLUMNS": "200"},
                              timeout=900)
    said = " ".join(log.read_text().split())
    assert done.returncode == 0, said
    return int(said.rsplit("VmHWM:", 1)[1].split()[0]), said


def test_a_2gb_file_streams_in_bounded_memory(
    tmp_path: Path, records: RecordGraph, tenant: str, model_dir: Path,
) -> None:
    """Two rows, a line of 2 GiB (a sparse file: no disk, no time to write), a third row,
    through a real `stormops link` process. Its peak memory stays under 512 MiB, a quarter of
    the line: reading the line whole would take 2 GiB and more, while the command itself
    takes about 260 MB here (the cold-start benchmark's ingest) and the reader holds at most
    a few MiB of a line (tests/core/test_csvfile.py)."""
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as fh:
        fh.write(b"email,first_name\na@example.com,Ann\nb@example.com,")
        fh.seek(2 * 1024**3)
        fh.write(b"x\nc@example.com,Cy\n")
    peak, said = _peak_rss_kib(["link", "-t", tenant, "--input", str(huge)],
                               tmp_path / "huge.log")
    assert "line 3: longer than 1,048,576 bytes (2,147,483," in said
    assert _lines_in(records, tenant) == [2, 4]
    assert peak < 512 * 1024, peak
