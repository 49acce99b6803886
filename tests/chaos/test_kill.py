"""Chaos, bounded and on loopback: loads killed with SIGKILL mid-way, Neo4j killed mid-write.

After each, `stormops check` reports what was cut short, the re-run finishes it, the check is
clean, and the tenant equals a clean run of the same input in another tenant: the same
partition of records (or identifiers) into identities, the same events and profiles, nothing
lost or counted twice. Killing Neo4j restarts the suite's own server, so these run last
(marker `restarts_neo4j`).
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from stormops.cli import neo4j_local
from stormops.cli.main import app
from stormops.core.identifiers import IDENTITY_FIELDS
from stormops.graph import delete_tenant
from stormops.graph.check import GraphCheck
from stormops.matching.model import MatchingModel
from stormops.matching.store import ModelStore
from stormops.samples.homeowners import generate_records, write_csv
from stormops.samples.journeys import generate_journeys, write_events_csv
from tests.conftest import reconnect

pytestmark = pytest.mark.restarts_neo4j
runner = CliRunner()

_RECORDS = """
MATCH (r:Record {tenant_id: $tenant})-[:LINK]->(n:Identity)
RETURN r.record_id AS item, n.identity_id AS identity_id
"""
_IDENTIFIERS = """
MATCH (i:Identifier)-[:LINK]->(n:Identity) WHERE i.key STARTS WITH $prefix
RETURN i.type + '|' + i.value AS item, n.identity_id AS identity_id
"""
_IDENTITIES = "MATCH (n:Identity {tenant_id: $tenant}) RETURN count(n) AS n"
_STORED = "MATCH (r:Record {tenant_id: $tenant}) RETURN count(r) AS n"
_JOURNEYS = "MATCH (j:Journey {tenant_id: $tenant}) RETURN count(j) AS n"
_EVENTS = "MATCH (t:Touchpoint) WHERE t.key STARTS WITH $prefix RETURN count(t) AS n"
_PROFILES = """
MATCH (i:Identifier)-[:LINK]->(n:Identity {status: 'active'})-[:HAS_PROFILE]->(p:Profile)
WHERE i.key STARTS WITH $prefix
WITH n, p, min(i.type + '|' + i.value) AS name
RETURN name, p.total_storms AS storms, p.total_conversions AS conversions,
       p.lifetime_value AS ltv, p.total_touches AS touches, p.segment AS segment,
       COUNT { (n)-[:JOURNEY]->(:Journey)-[:HAS]->(:Touchpoint) } AS events
"""


@pytest.fixture
def tenants(driver: Driver, settings) -> Iterator[Callable[[], str]]:
    """Fresh tenant ids on demand, all deleted afterwards."""
    made: list[str] = []

    def new() -> str:
        made.append(f"chaos-{uuid.uuid4().hex[:10]}")
        return made[-1]

    yield new
    reconnect(driver, settings.neo4j_database)
    for tenant in made:
        delete_tenant(driver, settings.neo4j_database, tenant)


def _rows(driver: Driver, database: str, query: str, tenant: str) -> list[dict]:
    records, _, _ = driver.execute_query(query, tenant=tenant, prefix=f"{tenant}|",
                                         database_=database)
    return [r.data() for r in records]


def _partition(driver: Driver, database: str, query: str, tenant: str) -> set[frozenset]:
    """Items (record ids, identifier values) grouped by identity, without the ids."""
    groups: dict[str, set[str]] = defaultdict(set)
    for row in _rows(driver, database, query, tenant):
        groups[row["identity_id"]].add(row["item"])
    return {frozenset(items) for items in groups.values()}


def _count(driver: Driver, database: str, query: str, tenant: str) -> int:
    return _rows(driver, database, query, tenant)[0]["n"]


def _kill_when(args: list[str], ready: Callable[[], bool], env: dict[str, str]) -> None:
    """Run `stormops args` and SIGKILL it once `ready()` holds (it must not finish first)."""
    proc = subprocess.Popen([sys.executable, "-m", "stormops.cli.main", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not ready():
            assert proc.poll() is None, "the load finished before it could be killed"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL


def _run(args: list[str]) -> str:
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    return done.output


def _clean(driver: Driver, database: str, tenant: str) -> None:
    report = GraphCheck(driver, database).run(tenant)
    assert report.clean, report.problems


@pytest.fixture(scope="module")
def people_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,500 sample rows with identifiers only, for `stormops link`."""
    path = tmp_path_factory.mktemp("chaos") / "people.csv"
    rows = generate_records(1_500, seed=31)
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(IDENTITY_FIELDS))
        writer.writeheader()
        writer.writerows({k: row.get(k, "") for k in IDENTITY_FIELDS} for row in rows)
    return path


def test_link_killed_then_rerun_equals_a_clean_run(
    driver: Driver, settings, tenants: Callable[[], str], people_file: Path
) -> None:
    database, cut, clean = settings.neo4j_database, tenants(), tenants()
    _kill_when(["link", "--tenant", cut, "--input", str(people_file), "--batch-size", "100"],
               lambda: _count(driver, database, _IDENTITIES, cut) > 0, dict(os.environ))
    _run(["link", "--tenant", cut, "--input", str(people_file), "--batch-size", "100"])
    _run(["link", "--tenant", clean, "--input", str(people_file)])
    for tenant in (cut, clean):
        _clean(driver, database, tenant)
    assert _partition(driver, database, _IDENTIFIERS, cut) == _partition(
        driver, database, _IDENTIFIERS, clean)


def test_ingest_killed_is_reported_then_finished_like_a_clean_run(
    driver: Driver, settings, tenants: Callable[[], str], model: MatchingModel,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database, cut, clean = settings.neo4j_database, tenants(), tenants()
    monkeypatch.setenv("STORMOPS_MODEL_DIR", str(tmp_path / "models"))
    for tenant in (cut, clean):  # the same model for both: the runs differ only by the kill
        ModelStore(tmp_path / "models").save(tenant, model)
    records = tmp_path / "records.csv"
    write_csv(generate_records(1_200, seed=37), records)
    _kill_when(["ingest", "--tenant", cut, "--input", str(records)],
               lambda: _count(driver, database, _STORED, cut) > 0, dict(os.environ))
    assert GraphCheck(driver, database).run(cut).problems["records_without_link"] > 0
    assert runner.invoke(app, ["check", "--tenant", cut]).exit_code == 1
    assert "cut short" in _run(["ingest", "--tenant", cut, "--input", str(records)])
    _run(["ingest", "--tenant", clean, "--input", str(records)])
    for tenant in (cut, clean):
        _clean(driver, database, tenant)
    partition = _partition(driver, database, _RECORDS, cut)
    assert sum(map(len, partition)) == 1_200, "every record linked once"
    assert partition == _partition(driver, database, _RECORDS, clean)


def test_events_load_killed_is_reported_then_finished_like_a_clean_run(
    driver: Driver, settings, tenants: Callable[[], str], tmp_path: Path
) -> None:
    database, cut, clean = settings.neo4j_database, tenants(), tenants()
    made = generate_journeys(800, seed=43)
    events, storms = tmp_path / "events.csv", tmp_path / "storms.json"
    write_events_csv(made.events, events)
    storms.write_text(json.dumps(made.storms))
    load = ["events", "load", str(events), "--storms", str(storms), "--batch-size", "200"]
    _kill_when([*load, "--tenant", cut], lambda: _count(driver, database, _JOURNEYS, cut) > 0,
               dict(os.environ))
    assert GraphCheck(driver, database).run(cut).problems["stale_journeys"] > 0
    assert "cut short" in _run([*load, "--tenant", cut])
    _run([*load, "--tenant", clean])
    for tenant in (cut, clean):
        _clean(driver, database, tenant)
    profiles = sorted(map(str, _rows(driver, database, _PROFILES, cut)))
    assert profiles == sorted(map(str, _rows(driver, database, _PROFILES, clean)))
    assert _count(driver, database, _EVENTS, cut) == len({e["event_id"]
                                                                for e in made.events})


def test_neo4j_killed_mid_write_restarts_and_the_rerun_equals_a_clean_run(
    driver: Driver, settings, tenants: Callable[[], str], people_file: Path
) -> None:
    database, cut, clean = settings.neo4j_database, tenants(), tenants()
    pid = int(neo4j_local.layout(settings).pidfile.read_text())
    link = ["link", "--input", str(people_file), "--batch-size", "100"]
    proc = subprocess.Popen([sys.executable, "-m", "stormops.cli.main", *link, "--tenant", cut],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while _count(driver, database, _IDENTITIES, cut) == 0:
            assert proc.poll() is None, "the load finished before Neo4j could be killed"
            time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)  # the server dies with transactions in flight
        assert proc.wait(120) != 0, "a load whose server died says it failed"
    finally:
        if proc.poll() is None:
            proc.kill()
        neo4j_local.start(settings, timeout=600, log=lambda _: None)  # the suite's own server
        reconnect(driver, database)
    _run([*link, "--tenant", cut])
    _run([*link, "--tenant", clean])
    for tenant in (cut, clean):
        _clean(driver, database, tenant)
    assert _partition(driver, database, _IDENTIFIERS, cut) == _partition(
        driver, database, _IDENTIFIERS, clean)
