"""`stormops console` as a user runs it: the API and the console come up on loopback and say
where, and a SIGTERM stops both children with it (nothing left listening)."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys

import httpx
from neo4j import Driver

from tests.api.conftest import _free_port


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_console_starts_its_stack_and_a_sigterm_stops_all_of_it(driver: Driver) -> None:
    port, api_port = _free_port(), _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "stormops.cli.main", "console", "--port", str(port),
         "--api-port", str(api_port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)
    try:
        lines = []
        for line in proc.stdout:  # the URL is printed once both answer
            lines.append(line)
            if line.startswith("StormOps console:"):
                break
        assert f"http://127.0.0.1:{port}" in "".join(lines), "".join(lines)
        assert httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=10).status_code == 200
        assert httpx.get(f"http://127.0.0.1:{api_port}/readyz", timeout=10).status_code == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not _listening(port) and not _listening(api_port)
