"""A local Neo4j Community server without Docker: jars from Maven Central, run on the JDK.

The dependency closure of `deploy/pom.xml` is copied once into `<neo4j_home>/lib`; later
starts reuse it with no network. The server runs `org.neo4j.server.CommunityEntryPoint` in the
background, bound to 127.0.0.1, and is stopped by the pid recorded at start.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from string import Template

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ServiceUnavailable

from stormops.core.errors import StormOpsError
from stormops.core.settings import PROJECT_ROOT, Settings

POM = PROJECT_ROOT / "deploy" / "pom.xml"
CONF_TEMPLATE = PROJECT_ROOT / "deploy" / "neo4j.conf.template"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
)


class Neo4jLocalError(StormOpsError):
    """The local server could not be assembled, started or stopped."""


@dataclass(frozen=True)
class Layout:
    """Where the local server keeps its jars, configuration, data and logs."""

    home: Path

    @property
    def lib(self) -> Path:
        return self.home / "lib"

    @property
    def conf(self) -> Path:
        return self.home / "conf"

    @property
    def data(self) -> Path:
        return self.home / "data"

    @property
    def logs(self) -> Path:
        return self.home / "logs"

    @property
    def run(self) -> Path:
        return self.home / "run"

    @property
    def pidfile(self) -> Path:
        return self.run / "neo4j.pid"

    @property
    def stamp(self) -> Path:
        return self.lib / ".assembled"


@dataclass(frozen=True)
class Status:
    running: bool
    pid: int | None
    version: str | None
    bolt_port: int
    http_port: int
    data_dir: Path

    def describe(self) -> str:
        state = f"running (pid {self.pid})" if self.running else "stopped"
        return (
            f"Neo4j {self.version or '(not assembled)'} Community: {state}\n"
            f"  bolt://127.0.0.1:{self.bolt_port}  http://127.0.0.1:{self.http_port}/browser/\n"
            f"  data: {self.data_dir}"
        )


def _pom_digest() -> str:
    return hashlib.sha256(POM.read_bytes()).hexdigest()


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return str(Path(java_home) / "bin" / "java")
    found = shutil.which("java")
    if not found:
        raise Neo4jLocalError("no `java` on PATH: install a JDK 17")
    return found


def assemble(layout: Layout, log=print) -> None:
    """Copy the server's jars from Maven Central into lib/, unless the same pom did already."""
    if layout.stamp.exists() and layout.stamp.read_text().strip() == _pom_digest():
        return
    mvn = shutil.which("mvn")
    if not mvn:
        raise Neo4jLocalError("no `mvn` on PATH: install Maven to assemble Neo4j")
    log(f"Assembling Neo4j from Maven Central into {layout.lib} (once) ...")
    if layout.lib.exists():
        shutil.rmtree(layout.lib)
    layout.lib.mkdir(parents=True)
    cmd = [mvn, "-q", "-B", "-f", str(POM), "dependency:copy-dependencies",
           f"-DoutputDirectory={layout.lib}"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise Neo4jLocalError(
            f"maven failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-2000:]}"
        )
    layout.stamp.write_text(_pom_digest())


def version(layout: Layout) -> str | None:
    """Version of the assembled engine, read from its jar name."""
    jars = sorted(layout.lib.glob("neo4j-5.*.jar")) if layout.lib.exists() else []
    return jars[0].stem.removeprefix("neo4j-") if jars else None


def write_conf(layout: Layout, settings: Settings) -> Path:
    for folder in (layout.conf, layout.data, layout.logs, layout.run):
        folder.mkdir(parents=True, exist_ok=True)
    text = Template(CONF_TEMPLATE.read_text()).substitute(
        bolt_port=settings.bolt_port, http_port=settings.http_port, data_dir=layout.data,
        logs_dir=layout.logs, run_dir=layout.run, pagecache=settings.neo4j_pagecache,
    )
    target = layout.conf / "neo4j.conf"
    target.write_text(text)
    return target


def _java_env(layout: Layout) -> dict[str, str]:
    return {**os.environ, "NEO4J_HOME": str(layout.home), "NEO4J_CONF": str(layout.conf)}


def _set_initial_password(layout: Layout, settings: Settings) -> None:
    """Neo4j reads the initial password only before its first start."""
    if (layout.data / "dbms" / "auth.ini").exists() or (layout.data / "databases").exists():
        return
    cmd = [_java(), "-cp", f"{layout.lib}/*", ADMIN_TOOL, "dbms", "set-initial-password",
           settings.neo4j_password.get_secret_value()]
    done = subprocess.run(cmd, capture_output=True, text=True, env=_java_env(layout))
    if done.returncode != 0:
        raise Neo4jLocalError(f"setting the initial password failed:\n{done.stderr[-2000:]}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    cmdline = Path(f"/proc/{pid}/cmdline")
    return not cmdline.exists() or ENTRY_POINT.encode() in cmdline.read_bytes()


def _running_pid(layout: Layout) -> int | None:
    if not layout.pidfile.exists():
        return None
    try:
        pid = int(layout.pidfile.read_text().strip())
    except ValueError:
        return None
    return pid if _alive(pid) else None


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _bolt_ready(settings: Settings) -> bool:
    if not _port_open(settings.bolt_port):
        return False
    auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value())
    try:
        with GraphDatabase.driver(f"bolt://127.0.0.1:{settings.bolt_port}", auth=auth) as drv:
            drv.verify_connectivity()
            drv.execute_query("RETURN 1", database_=settings.neo4j_database)
        return True
    except (ServiceUnavailable, OSError):
        return False
    except AuthError as exc:
        raise Neo4jLocalError(
            f"Neo4j answers but refuses the password from NEO4J_PASSWORD ({exc.message}); "
            "the data folder was initialised with another password"
        ) from None


def _tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def status(settings: Settings) -> Status:
    layout = Layout(settings.neo4j_home)
    pid = _running_pid(layout)
    return Status(pid is not None, pid, version(layout), settings.bolt_port, settings.http_port,
                  layout.data)


def start(settings: Settings, timeout: float = 180.0, log=print) -> Status:
    """Start the server if it is not running and wait until Bolt answers a query."""
    layout = Layout(settings.neo4j_home)
    if (pid := _running_pid(layout)) is not None:
        log(f"Neo4j is already running (pid {pid}).")
        return status(settings)
    for port in (settings.bolt_port, settings.http_port):
        if _port_open(port):
            raise Neo4jLocalError(f"port {port} on 127.0.0.1 is taken by another process")
    assemble(layout, log)
    write_conf(layout, settings)
    _set_initial_password(layout, settings)
    console = layout.logs / "console.log"
    cmd = [_java(), f"-Xms{settings.neo4j_heap}", f"-Xmx{settings.neo4j_heap}", *JVM_OPTIONS,
           "-cp", f"{layout.lib}/*", ENTRY_POINT,
           f"--home-dir={layout.home}", f"--config-dir={layout.conf}"]
    with console.open("ab") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=_java_env(layout), start_new_session=True, cwd=layout.home)
    layout.pidfile.write_text(str(proc.pid))
    log(f"Starting Neo4j (pid {proc.pid}), waiting for Bolt on port {settings.bolt_port} ...")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        if _bolt_ready(settings):
            log("Neo4j is up.")
            return status(settings)
        time.sleep(0.5)
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    layout.pidfile.unlink(missing_ok=True)
    raise Neo4jLocalError(
        f"Neo4j did not answer on Bolt within {timeout:.0f}s (exit code {proc.returncode}).\n"
        f"--- {layout.logs / 'neo4j.log'}\n{_tail(layout.logs / 'neo4j.log')}\n"
        f"--- {console}\n{_tail(console)}"
    )


def stop(settings: Settings, timeout: float = 60.0, log=print) -> None:
    """Stop the server started by `start`, gracefully, then by force after `timeout`."""
    layout = Layout(settings.neo4j_home)
    pid = _running_pid(layout)
    if pid is None:
        log("Neo4j is not running.")
        layout.pidfile.unlink(missing_ok=True)
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.25)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)
    layout.pidfile.unlink(missing_ok=True)
    log(f"Neo4j stopped (pid {pid}).")
