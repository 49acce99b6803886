"""`stormops kafka ...` against the broker the test run started, and an empty home."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from stormops.cli.main import app
from stormops.core.settings import Settings
from stormops.stream import broker_reachable
from tests.kafka_fixtures import require_broker

runner = CliRunner()


def test_status_and_start_on_a_running_broker(settings: Settings) -> None:
    require_broker(settings)
    status = runner.invoke(app, ["kafka", "status"])
    assert status.exit_code == 0
    assert "running (pid" in status.output and "4.4.0" in status.output
    assert f"127.0.0.1:{settings.kafka_port}" in status.output
    assert str(settings.kafka_home / "data") in status.output.replace("\n", "")
    again = runner.invoke(app, ["kafka", "start"])
    assert again.exit_code == 0 and "already running" in again.output
    assert broker_reachable(settings.kafka_bootstrap)


def test_the_broker_listens_on_loopback_only(settings: Settings) -> None:
    require_broker(settings)
    conf = (settings.kafka_home / "conf" / "server.properties").read_text()
    listeners = [line for line in conf.splitlines() if line.startswith("listeners=")]
    assert listeners == [f"listeners=PLAINTEXT://127.0.0.1:{settings.kafka_port},"
                         f"CONTROLLER://127.0.0.1:{settings.kafka_controller_port}"]


def test_stop_on_a_stopped_broker_says_so(tmp_path: Path) -> None:
    env = {"STORMOPS_KAFKA_HOME": str(tmp_path)}
    stopped = runner.invoke(app, ["kafka", "stop"], env=env)
    assert stopped.exit_code == 0 and "not running" in stopped.output
    status = runner.invoke(app, ["kafka", "status"], env=env)
    assert status.exit_code == 0 and "stopped" in status.output and "not assembled" in status.output


def test_replay_of_an_unknown_storm_names_the_known_ones() -> None:
    result = runner.invoke(app, ["live", "replay", "-t", "acme", "--storm", "S1999-X-Y",
                                 "--rows", "50"])
    assert result.exit_code == 1
    assert "no storm 'S1999-X-Y'" in result.output and "S2024" in result.output
