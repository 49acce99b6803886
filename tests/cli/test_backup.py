"""`stormops backup` then `stormops restore`: the same graph (digest) and the same models.

Stops and starts the suite's own Neo4j (Community dumps only a stopped database), so it runs
last (marker `restarts_neo4j`).
"""

from __future__ import annotations

import hashlib
import tarfile
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from stormops.cli import neo4j_local
from stormops.cli.main import app
from stormops.graph import IdentityGraph
from stormops.graph.digest import graph_digest
from stormops.matching.model import MatchingModel
from stormops.matching.store import ModelStore
from tests.conftest import reconnect

pytestmark = pytest.mark.restarts_neo4j
runner = CliRunner()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backup_and_restore_round_trip(tmp_path: Path, driver: Driver, settings, tenant: str,
                                       model: MatchingModel,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    database = settings.neo4j_database
    models = tmp_path / "models"
    monkeypatch.setenv("STORMOPS_MODEL_DIR", str(models))
    graph = IdentityGraph(driver, database)
    ann = graph.link_property(tenant, "P-1", {"email": "ann@x.co", "first_name": "Ann"})
    bob = graph.link_property(tenant, "P-1", {"email": "bob@x.co", "first_name": "Bob"})
    graph.merge_identities(tenant, ann, bob, "t", "backup round trip")
    model_file = ModelStore(models).save(tenant, model)
    before, model_hash = graph_digest(driver, database), _sha256(model_file)
    archive = tmp_path / "backup.tar.gz"

    refused = runner.invoke(app, ["backup", "--output", str(archive)])
    assert refused.exit_code == 1 and "--stop" in refused.output
    assert neo4j_local.status(settings).running and not archive.exists()

    done = runner.invoke(app, ["backup", "--output", str(archive), "--stop"])
    assert done.exit_code == 0, done.output
    reconnect(driver, database)
    assert neo4j_local.status(settings).running
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "neo4j.dump", "config/neo4j.conf", "config/settings.json",
            f"models/{tenant}/{model_file.name}"} <= names
    assert "stormops-local" not in tarfile.open(archive).extractfile(
        "config/settings.json").read().decode(), "no password in the archive"

    # Changes after the backup: a new person, the model file gone.
    graph.link_property(tenant, None, {"email": "late@x.co"})
    model_file.unlink()
    assert graph_digest(driver, database) != before

    done = runner.invoke(app, ["restore", str(archive), "--stop"])
    assert done.exit_code == 0, done.output
    assert "identical" in done.output
    reconnect(driver, database)
    assert graph_digest(driver, database) == before
    assert _sha256(model_file) == model_hash
    assert graph.resolve_identity(tenant, "late@x.co") is None
    assert graph.resolve_identity(tenant, "bob@x.co") == ann


def test_a_damaged_archive_changes_nothing(tmp_path: Path, driver: Driver, settings) -> None:
    damaged = tmp_path / "damaged.tar.gz"
    member = tmp_path / "manifest.json"
    member.write_text('{"format": "stormops.backup/1", "files": {"neo4j.dump": "00"}}')
    dump = tmp_path / "neo4j.dump"
    dump.write_bytes(b"not a dump")
    with tarfile.open(damaged, "w:gz") as tar:
        tar.add(member, arcname="manifest.json")
        tar.add(dump, arcname="neo4j.dump")
    before = graph_digest(driver, settings.neo4j_database)
    done = runner.invoke(app, ["restore", str(damaged), "--stop"])
    assert done.exit_code == 1 and "damaged" in done.output
    assert neo4j_local.status(settings).running
    assert graph_digest(driver, settings.neo4j_database) == before
