"""`stormops eval` scores the matching model against FEBRL3's ground truth."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from stormops.cli.main import app


def test_eval_febrl3_meets_the_cluster_target(tmp_path: Path) -> None:
    out = tmp_path / "febrl3.json"
    result = CliRunner().invoke(app, ["eval", "febrl3", "--no-online", "--output", str(out)])
    assert result.exit_code == 0, result.output
    batch = json.loads(out.read_text())["batch"]
    assert batch["cluster"]["f1"] >= 0.998
    assert batch["pairwise"]["precision"] >= 0.999


def test_eval_refuses_an_unknown_dataset() -> None:
    result = CliRunner().invoke(app, ["eval", "febrl9"])
    assert result.exit_code == 2
