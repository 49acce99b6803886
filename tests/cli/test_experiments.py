"""`stormops experiments ...` and `stormops report` end to end against the real graph."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from stormops.cli.main import app

runner = CliRunner()


def test_create_assign_lift_and_report(driver, tenant: str, tmp_path: Path) -> None:
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
