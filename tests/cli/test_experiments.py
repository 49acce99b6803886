"""`stormops experiments ...` and `stormops report` end to end against the real graph."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from stormops.cli.main import app
from stormops.graph.journeys import JourneyGraph

runner = CliRunner()


def test_create_assign_lift_and_report(driver, settings, tenant: str, tmp_path: Path) -> None:
    JourneyGraph(driver, settings.neo4j_database).upsert_storms(tenant, [{"storm_id": "S9"}])
    made = runner.invoke(app, ["experiments", "create", "--tenant", tenant, "holdout",
                               "--config", '{"name": "h", "storm_id": "S9", '
                                           '"control_share": 0.5}'])
    assert made.exit_code == 0, made.output
    exp = made.output.strip().splitlines()[-1]
    csv_path = tmp_path / "props.csv"
    csv_path.write_text("property_id,zip\n" + "".join(f"P{i},75{i % 5:03d}\n"
                                                      for i in range(50)))
    assigned = runner.invoke(app, ["experiments", "assign", "--tenant", tenant, exp,
                                   "--input", str(csv_path)])
    assert assigned.exit_code == 0, assigned.output
    assert sum(json.loads(assigned.output)["properties"].values()) == 50
    lift = runner.invoke(app, ["experiments", "lift", "--tenant", tenant, exp])
    assert lift.exit_code == 0 and json.loads(lift.output)["storm_id"] == "S9"
    page = tmp_path / "r.html"
    reported = runner.invoke(app, ["report", "--tenant", tenant, "--storm", "S9",
                                   "--output", str(page)])
    assert reported.exit_code == 0, reported.output
    assert "<svg" in page.read_text() and "S9" in page.read_text()


def test_bad_input_exits_non_zero(driver, tenant: str) -> None:
    bad_json = runner.invoke(app, ["experiments", "create", "--tenant", tenant, "holdout",
                                   "--config", "{name"])
    assert bad_json.exit_code == 2
    bad_setting = runner.invoke(app, ["experiments", "create", "--tenant", tenant, "holdout",
                                      "--config", '{"name": "h", "control_share": 5}'])
    assert bad_setting.exit_code == 1 and "control_share" in bad_setting.output
    missing = runner.invoke(app, ["experiments", "lift", "--tenant", tenant, "nope"])
    assert missing.exit_code == 1 and "not found" in missing.output


def test_assign_from_a_storm_and_what_does_not_exist(driver, settings, tenant: str,
                                                     tmp_path: Path) -> None:
    JourneyGraph(driver, settings.neo4j_database).upsert_storms(tenant, [{
        "storm_id": "S7", "properties": {f"P{i}": {"sii": 50, "zip": f"750{i % 4}"}
                                         for i in range(40)}}])
    made = runner.invoke(app, ["experiments", "create", "--tenant", tenant, "geo_split",
                               "--config", '{"name": "g", "storm_id": "S7"}'])
    exp = made.output.strip().splitlines()[-1]
    assigned = runner.invoke(app, ["experiments", "assign", "--tenant", tenant, exp])
    assert assigned.exit_code == 0, assigned.output
    body = json.loads(assigned.output)
    assert sum(body["properties"].values()) == 40 and sum(body["units"].values()) == 4
    listed = json.loads(runner.invoke(app, ["experiments", "list", "--tenant", tenant,
                                            "--storm", "S7"]).output)
    assert [e["experiment_id"] for e in listed] == [exp]
    assert sum(arm["properties"] for arm in listed[0]["arms"].values()) == 40
    for args in (["report", "--tenant", tenant, "--storm", "S-unknown",
                  "--output", str(tmp_path / "x.html")],
                 ["experiments", "assign", "--tenant", tenant, exp, "--storm", "S-other"],
                 ["experiments", "lift", "--tenant", tenant, exp, "--storm", "S-unknown"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, (args, result.output)
        assert "error" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()
