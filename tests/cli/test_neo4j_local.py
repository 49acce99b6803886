"""`stormops neo4j ...` against the server the test run started, and an empty home."""

from __future__ import annotations

import urllib.request
from pathlib import Path

from neo4j import Driver
from typer.testing import CliRunner

from stormops.cli.main import app

runner = CliRunner()


def test_status_and_start_on_a_running_server(driver: Driver, settings) -> None:
    status = runner.invoke(app, ["neo4j", "status"])
    assert status.exit_code == 0
    assert "running (pid" in status.output and "5.26." in status.output
    assert f"127.0.0.1:{settings.bolt_port}" in status.output
    assert str(settings.neo4j_home / "data") in status.output.replace("\n", "")
    again = runner.invoke(app, ["neo4j", "start"])
    assert again.exit_code == 0 and "already running" in again.output


def test_browser_is_served(driver: Driver, settings) -> None:
    url = f"http://127.0.0.1:{settings.http_port}/browser/"
    with urllib.request.urlopen(url, timeout=10) as resp:
        assert resp.status == 200
        assert "Neo4j Browser" in resp.read().decode("utf-8", "replace")


def test_stop_on_a_stopped_server_says_so(tmp_path: Path) -> None:
    env = {"STORMOPS_NEO4J_HOME": str(tmp_path)}
    stopped = runner.invoke(app, ["neo4j", "stop"], env=env)
    assert stopped.exit_code == 0 and "not running" in stopped.output
    status = runner.invoke(app, ["neo4j", "status"], env=env)
    assert status.exit_code == 0 and "stopped" in status.output


def test_bad_settings_exit_non_zero() -> None:
    result = runner.invoke(app, ["neo4j", "status"], env={"STORMOPS_BOLT_PORT": "not-a-port"})
    assert result.exit_code == 2 and "bad settings" in result.output
