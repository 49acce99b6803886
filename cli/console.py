"""`stormops console`: Neo4j (when local), the HTTP API and the Streamlit console, together."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlparse

import typer

from stormops.cli._common import err, errors
from stormops.core.errors import StormOpsError

if TYPE_CHECKING:  # pydantic loads inside the command
    from stormops.core.settings import Settings

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class StartFailed(StormOpsError):
    """A process of the console's stack did not come up."""


def app_path() -> Path:
    """The console's Streamlit script, as installed."""
    return Path(str(files("stormops.console").joinpath("app.py")))


def _wait(url: str, proc: subprocess.Popen, what: str, log: Path, timeout: float) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with suppress(httpx.TransportError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    raise StartFailed(f"{what} did not come up at {url}:\n{tail}")


@contextmanager
def process(cmd: list[str], ready_url: str, what: str, log: Path, env: dict[str, str],
            timeout: float = 180.0) -> Iterator[subprocess.Popen]:
    """A child process, its output in `log`, ready once `ready_url` answers 200; stopped when
    the block ends."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONUNBUFFERED": "1", **env})
        try:
            _wait(ready_url, proc, what, log, timeout)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def api_command(port: int, host: str = "127.0.0.1") -> list[str]:
    return [sys.executable, "-m", "stormops.cli.main", "serve", "--host", host,
            "--port", str(port)]


def streamlit_command(port: int, host: str = "127.0.0.1") -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(app_path()),
            "--server.address", host, "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--global.developmentMode", "false",
            "--client.toolbarMode", "minimal"]


@contextmanager
def console_stack(api_port: int, port: int, logs: Path,
                  host: str = "127.0.0.1") -> Iterator[tuple[str, str]]:
    """The API on `api_port` and the console on `port`; yields both URLs (console, API)."""
    api_url = f"http://{host}:{api_port}"
    with process(api_command(api_port, host), f"{api_url}/readyz", "the API",
                 logs / "api.log", {}), \
         process(streamlit_command(port, host), f"http://{host}:{port}/_stcore/health",
                 "the console", logs / "console.log", {"STORMOPS_API_URL": api_url}):
        yield f"http://{host}:{port}", api_url


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_console(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="Port of the console.")] = 8501,
    api_port: Annotated[int, typer.Option(help="Port of the HTTP API it uses.")] = 8000,
    host: Annotated[str, typer.Option(help="Interface both bind.")] = "127.0.0.1",
) -> None:
    """Start Neo4j (when local), the HTTP API and the console; print the URL to open."""
    from stormops.cli import neo4j_local  # the JVM helpers load only here

    settings: Settings = ctx.obj
    with errors():
        if urlparse(settings.neo4j_uri).hostname in _LOOPBACK:
            neo4j_local.start(settings, log=err.print)
        logs = Path(tempfile.mkdtemp(prefix="stormops-console-"))
        err.print("Starting the API and the console ...")
        # A SIGTERM (a service manager, `kill`) stops the stack as Ctrl-C does: the API and
        # Streamlit are stopped with it, never left running.
        signal.signal(signal.SIGTERM, _interrupt)
        with suppress(KeyboardInterrupt), console_stack(api_port, port, logs, host) as (url, _):
            print(f"StormOps console: {url}  (sign in with an API key: "
                  "`stormops keys create --tenant T --role reviewer`)", flush=True)
            print(f"HTTP API: http://{host}:{api_port}/docs   logs: {logs}", flush=True)
            while True:
                time.sleep(3600)
