"""`stormops mmm ...` on a stored fit: ROI, a prediction, the optimizer; bad input exits
non-zero with a message, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from stormops.cli.main import app
from stormops.mmm import MixPosterior, MixStore
from stormops.samples.mmm import generate_mmm

runner = CliRunner()


def _store_truth(model_dir: Path, tenant: str) -> str:
    """The sample's true curves stored as a fit (a few identical draws)."""
    sample = generate_mmm(weeks=52, channels=3, seed=8)
    names = tuple(sample.truth)
    t = [sample.truth[c] for c in names]
    ones = np.ones((4, 1))
    post = MixPosterior(names, ones * [c.lam for c in t], ones * [c.beta for c in t],
                        np.array([c.scale for c in t]), ones * [c.roi for c in t],
                        np.array([sample.spend[c].mean() for c in names]))
    version = "20260101T000000000Z-00c0ffee"
    MixStore(model_dir).save(tenant, {"version": version, "window": {"weeks": 52}}, post)
    return version


def test_roi_predict_and_optimize_from_a_stored_fit(driver, tenant: str,
                                                    tmp_path: Path) -> None:
    env = {"STORMOPS_MODEL_DIR": str(tmp_path)}
    version = _store_truth(tmp_path, tenant)
    listed = runner.invoke(app, ["mmm", "models", "-t", tenant], env=env)
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.output)[0]["version"] == version
    roi = runner.invoke(app, ["mmm", "roi", "-t", tenant], env=env)
    body = json.loads(roi.output)
    assert set(body["channels"]) == {"door_knock", "call_center", "paid_search"}
    assert body["channels"]["door_knock"]["roi"]["low"] > 0
    predicted = json.loads(runner.invoke(app, ["mmm", "roi", "-t", tenant, "--allocation",
                                               '{"door_knock": 10000}'], env=env).output)
    assert predicted["channels"]["paid_search"]["spend"] == 0
    best = runner.invoke(app, ["mmm", "optimize", "-t", tenant, "--total", "30000",
                               "--bounds", '{"door_knock": [5000, 12000]}'], env=env)
    assert best.exit_code == 0, best.output
    split = json.loads(best.output)["allocation"]
    assert abs(sum(split.values()) - 30_000) < 0.01 and 5_000 <= split["door_knock"] <= 12_000
    assert json.loads(best.output)["risk"] == 2.0
    neutral = runner.invoke(app, ["mmm", "optimize", "-t", tenant, "--total", "30000",
                                  "--risk", "0"], env=env)
    assert neutral.exit_code == 0 and json.loads(neutral.output)["risk"] == 0


def test_bad_input_exits_non_zero_with_a_message(driver, tenant: str, tmp_path: Path) -> None:
    env = {"STORMOPS_MODEL_DIR": str(tmp_path)}
    unfitted = runner.invoke(app, ["mmm", "roi", "-t", tenant], env=env)
    assert unfitted.exit_code == 1 and "no fitted mix model" in unfitted.output
    empty = runner.invoke(app, ["mmm", "fit", "-t", tenant], env=env)
    assert empty.exit_code == 1 and "no touchpoints" in empty.output
    _store_truth(tmp_path, tenant)
    for args, code, says in [
        (["optimize", "--total", "-5"], 1, "total"),
        (["optimize", "--total", "100", "--bounds", '{"door_knock": [500, 600]}'], 1, "bounds"),
        (["optimize", "--total", "100", "--bounds", "{x"], 2, "JSON"),
        (["optimize", "--total", "100", "--risk", "-1"], 2, "--risk"),
        (["roi", "--allocation", '{"tv": 5}'], 1, "allocation.tv"),
    ]:
        result = runner.invoke(app, ["mmm", *args, "-t", tenant], env=env)
        assert result.exit_code == code, result.output
        assert says in result.output and "Traceback" not in result.output
