"""`stormops events load|sample|show` and `stormops target` against a real Neo4j."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from neo4j import Driver
from typer.testing import CliRunner

from stormops.cli.main import app
from stormops.core.events import parse_event
from stormops.core.targeting import TargetQuery
from stormops.graph.journeys import JourneyGraph, _write_events
from stormops.graph.profiles import BehavioralProfileService, read_config

runner = CliRunner()


def test_sample_load_target_and_show(tmp_path: Path, driver: Driver, tenant: str) -> None:
    events, storms = tmp_path / "events.csv", tmp_path / "storms.json"
    out = runner.invoke(app, ["events", "sample", "--rows", "40", "--seed", "5",
                              "--output", str(events), "--storms", str(storms)])
    assert out.exit_code == 0, out.output
    lines = events.read_text().splitlines()
    with events.open(newline="") as fh:
        reader = csv.DictReader(fh)
        first = next(reader)
    with events.open("a", newline="") as fh:  # a bad row, and the first event again
        writer = csv.DictWriter(fh, fieldnames=reader.fieldnames)
        writer.writerow({**first, "event_id": "bad-1", "channel": "fax"})
        writer.writerow(first)
    out = runner.invoke(app, ["events", "load", "-t", tenant, str(events), "--storms",
                              str(storms), "--batch-size", "30"])
    assert out.exit_code == 0, out.output
    total = len(lines) - 1
    assert f"recorded {total:,}, duplicates 1," in out.output
    assert "rejected 1" in out.output
    again = runner.invoke(app, ["events", "load", "-t", tenant, str(events)])
    assert f"recorded 0, duplicates {total + 1:,}" in again.output

    page = runner.invoke(app, ["target", "-t", tenant, "--limit", "3", "--json"])
    assert page.exit_code == 0, page.output
    items = json.loads(page.output)["items"]
    assert len(items) == 3
    assert [p["lifetime_value"] for p in items] == sorted(
        (p["lifetime_value"] for p in items), reverse=True)
    shown = runner.invoke(app, ["events", "show", "-t", tenant, items[0]["identity_id"]])
    body = json.loads(shown.output)
    assert body["profile"]["lifetime_value"] == items[0]["lifetime_value"]
    assert sum(len(j["events"]) for j in body["journeys"]) >= 1
    missing = runner.invoke(app, ["events", "show", "-t", tenant, "nobody"])
    assert missing.exit_code == 1 and "not found" in missing.output
    bad = runner.invoke(app, ["target", "-t", tenant, "--cursor", "zzz"])
    assert bad.exit_code == 1 and "cursor" in bad.output


def test_refresh_finishes_a_load_cut_short(driver: Driver, settings, tenant: str) -> None:
    journeys = JourneyGraph(driver, settings.neo4j_database)
    config = journeys._read(read_config, tenant)
    events = [parse_event({"event_id": f"r{n}", "storm_id": f"S{n % 2}", "channel": "sms",
                           "ts": f"2024-05-0{n + 1}T10:00:00",
                           "identifiers": {"email": f"r{n % 3}@example.com"}}, config.channels)
              for n in range(6)]
    journeys._write(_write_events, tenant, events, config, True)  # appended, not recomputed
    assert BehavioralProfileService(driver, settings.neo4j_database).target(
        tenant, TargetQuery())["items"] == []
    out = runner.invoke(app, ["events", "refresh", "-t", tenant])
    assert out.exit_code == 0, out.output
    assert "recomputed: 6" in out.output  # 3 people x 2 storms
    page = BehavioralProfileService(driver, settings.neo4j_database).target(
        tenant, TargetQuery())["items"]
    assert sorted(p["total_touches"] for p in page) == [2, 2, 2]
    again = runner.invoke(app, ["events", "refresh", "-t", tenant])
    assert "recomputed: 0" in again.output
