"""`stormops ingest`, `export` and `match train|show` against a real Neo4j."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from stormops.cli.main import app
from stormops.matching.evaluate import cluster_metrics, partition
from stormops.matching.normalize import normalize_records, with_derived
from stormops.matching.store import ModelStore
from stormops.samples.homeowners import generate_records

runner = CliRunner()
# The sample's columns under other names, as another system would export them.
RENAMED = {"first_name": "given_name", "last_name": "surname", "dob": "date_of_birth",
           "address": "address_1", "city": "suburb", "zip": "postcode",
           "national_id": "soc_sec_id", "record_id": "rec_id"}


@pytest.fixture
def model_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "models"
    monkeypatch.setenv("STORMOPS_MODEL_DIR", str(folder))
    yield folder


def test_ingest_renamed_columns_then_export(
    tmp_path: Path, driver: Driver, tenant: str, model_dir: Path
) -> None:
    rows = generate_records(1_200, seed=21)
    source = tmp_path / "crm.csv"
    with source.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[RENAMED.get(c, c) for c in rows[0]])
        writer.writeheader()
        writer.writerows({RENAMED.get(k, k): v for k, v in row.items()} for row in rows)
    maps = [arg for src, dst in RENAMED.items() for arg in ("--map", f"{dst}={src}")]
    out = runner.invoke(app, ["ingest", "-t", tenant, "--input", str(source), *maps])
    assert out.exit_code == 0, out.output
    assert "records 1,200, newly linked 1,200" in _said(out)
    assert "on Spark" not in _said(out)  # the default engine is DuckDB, in this process
    assert "trained on the tenant's 1,200 records this run" in _said(out)
    again = runner.invoke(app, ["ingest", "-t", tenant, "--input", str(source), *maps])
    assert "newly linked 0, identities created 0, merges 0, review items 0" in again.output

    exported = tmp_path / "identities.csv"
    out = runner.invoke(app, ["export", "-t", tenant, "--output", str(exported)])
    assert out.exit_code == 0, out.output
    with exported.open(newline="") as fh:
        identity_of = {row["record_id"]: row["identity_id"] for row in csv.DictReader(fh)}
    assert set(identity_of) == {row["record_id"] for row in rows}
    scores = cluster_metrics([row["person_id"] for row in rows],
                             [identity_of[row["record_id"]] for row in rows])
    assert scores.precision >= 0.99 and scores.recall >= 0.9, scores

    shown = runner.invoke(app, ["match", "show", "-t", tenant])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["settings"]["auto_link"] == 0.99
    retrained = runner.invoke(app, ["match", "train", "-t", tenant, "--auto-link", "0.995"])
    assert retrained.exit_code == 0, retrained.output
    shown = runner.invoke(app, ["match", "show", "-t", tenant])
    assert json.loads(shown.stdout)["settings"]["auto_link"] == 0.995
    assert len(list(model_dir.rglob("model-*.json"))) == 2


def _said(result) -> str:
    """Output with rich's line wrapping undone."""
    return " ".join(result.output.split())


def test_bad_invocations_say_what_is_wrong(tmp_path: Path, tenant: str, model_dir: Path) -> None:
    source = tmp_path / "x.csv"
    source.write_text("rec,email\n1,a@b.co\n")
    out = runner.invoke(app, ["ingest", "-t", tenant, "--input", str(source), "--map", "rec"])
    assert out.exit_code == 1 and "--map" in _said(out)
    out = runner.invoke(app, ["match", "show", "-t", tenant])
    assert out.exit_code == 1 and "no matching model" in _said(out)
    out = runner.invoke(app, ["match", "train", "-t", tenant])
    assert out.exit_code == 1 and "0 records: a model is trained on at least 1,000" in _said(out)
    out = runner.invoke(app, ["match", "train", "-t", tenant, "--input", str(source)])
    assert out.exit_code == 1 and "1 record: a model" in _said(out) and "prior" in _said(out)
    assert "Traceback" not in out.output
    out = runner.invoke(app, ["ingest", "-t", tenant, "--input", str(source), "--online"])
    assert out.exit_code == 0 and "no model of its own yet" in _said(out), out.output
    out = runner.invoke(app, ["ingest", "-t", tenant, "--input", str(source), "--invalid", "x"])
    assert out.exit_code == 1 and "expected one of null, reject" in _said(out)


def test_ingest_on_spark_gives_the_identities_duckdb_gives(
    tmp_path: Path, driver: Driver, tenant: str, model_dir: Path
) -> None:
    rows = generate_records(1_200, seed=23)
    source = tmp_path / "web.csv"
    with source.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = runner.invoke(app, ["ingest", "-t", tenant, "--input", str(source),
                              "--engine", "spark"])
    assert out.exit_code == 0, out.output
    assert "records 1,200, newly linked 1,200" in _said(out)
    assert "Pairs are scored on Spark at local[2]." in _said(out)

    exported = tmp_path / "identities.csv"
    assert runner.invoke(app, ["export", "-t", tenant, "--output", str(exported)]).exit_code == 0
    with exported.open(newline="") as fh:
        identity_of = {row["record_id"]: row["identity_id"] for row in csv.DictReader(fh)}
    model = ModelStore(model_dir).load(tenant)
    records = [with_derived(record) for record in normalize_records(rows).records]
    cluster_of = model.clustering.cluster(model.inference.predict(records)).cluster_of()
    assert len(set(cluster_of.values())) < len(rows)
    assert partition(identity_of) == partition(cluster_of)

