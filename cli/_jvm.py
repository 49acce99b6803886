"""Local JVM servers without Docker: jars from Maven Central, a pid file, a log to read.

Neo4j and Kafka run the same way here: the dependency closure of a pom under `deploy/` is
copied once into `<home>/lib` (again only when the pom changes), the server's main class is
started in the background on the machine's JDK with its output in `<home>/logs`, and it is
stopped by the pid recorded at start. A pid is trusted only while that process's command
line still names the main class, so a recycled pid is never signalled.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from stormops.core.errors import StormOpsError

Log = Callable[[str], None]


class LocalServerError(StormOpsError):
    """A local server could not be assembled, started or stopped."""


@dataclass(frozen=True)
class Layout:
    """Where a local server keeps its jars, configuration, data, logs and pid file."""

    home: Path
    name: str

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
        return self.run / f"{self.name}.pid"

    @property
    def stamp(self) -> Path:
        return self.lib / ".assembled"

    @property
    def console(self) -> Path:
        return self.logs / "console.log"

    def make_dirs(self) -> None:
        for folder in (self.conf, self.data, self.logs, self.run):
            folder.mkdir(parents=True, exist_ok=True)


@dataclass(frozen=True)
class Status:
    """What `status` says of a local server."""

    label: str  # name and version, e.g. "Kafka 4.4.0 (KRaft, one node)"
    running: bool
    pid: int | None
    addresses: str
    data_dir: Path

    def describe(self) -> str:
        state = f"running (pid {self.pid})" if self.running else "stopped"
        return f"{self.label}: {state}\n  {self.addresses}\n  data: {self.data_dir}"


def status(layout: Layout, main_class: str, label: str, addresses: str) -> Status:
    pid = running_pid(layout, main_class)
    return Status(label, pid is not None, pid, addresses, layout.data)


def java() -> str:
    """The JDK's `java`: $JAVA_HOME's, else the one on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return str(Path(java_home) / "bin" / "java")
    found = shutil.which("java")
    if not found:
        raise LocalServerError("no `java` on PATH: install a JDK 17")
    return found


def _digest(pom: Path) -> str:
    return hashlib.sha256(pom.read_bytes()).hexdigest()


def assemble(layout: Layout, pom: Path, label: str, log: Log = print,
             maven_args: Sequence[str] = ()) -> None:
    """Copy the pom's dependency closure from Maven Central into lib/, unless this pom did."""
    if layout.stamp.exists() and layout.stamp.read_text().strip() == _digest(pom):
        return
    mvn = shutil.which("mvn")
    if not mvn:
        raise LocalServerError(f"no `mvn` on PATH: install Maven to assemble {label}")
    log(f"Assembling {label} from Maven Central into {layout.lib} (once) ...")
    if layout.lib.exists():
        shutil.rmtree(layout.lib)
    layout.lib.mkdir(parents=True)
    cmd = [mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies",
           f"-DoutputDirectory={layout.lib}", *maven_args]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise LocalServerError(
            f"maven failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-2000:]}"
        )
    layout.stamp.write_text(_digest(pom))


def run_tool(layout: Layout, main_class: str, args: Sequence[str], what: str,
             env: dict[str, str] | None = None) -> str:
    """Run a one-shot Java tool from lib/; its standard output, or an error naming `what`."""
    cmd = [java(), "-cp", f"{layout.lib}/*", main_class, *args]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise LocalServerError(f"{what} failed:\n{done.stdout[-1000:]}{done.stderr[-2000:]}")
    return done.stdout


def alive(pid: int, main_class: str) -> bool:
    """Whether `pid` runs and is still our server (its command line names `main_class`)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    cmdline = Path(f"/proc/{pid}/cmdline")
    return not cmdline.exists() or main_class.encode() in cmdline.read_bytes()


def running_pid(layout: Layout, main_class: str) -> int | None:
    """The pid recorded at start, when that server still runs."""
    if not layout.pidfile.exists():
        return None
    try:
        pid = int(layout.pidfile.read_text().strip())
    except ValueError:
        return None
    return pid if alive(pid, main_class) else None


def port_open(port: int) -> bool:
    """Whether something accepts connections on 127.0.0.1:`port`."""
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def check_ports_free(ports: Sequence[int]) -> None:
    for port in ports:
        if port_open(port):
            raise LocalServerError(f"port {port} on 127.0.0.1 is taken by another process")


def tail(path: Path, lines: int = 40) -> str:
    """The last lines of a log, for error messages."""
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def launch(layout: Layout, cmd: Sequence[str], env: dict[str, str] | None = None,
           ) -> subprocess.Popen:
    """Start the server in its own session, output appended to logs/console.log; pid saved."""
    with layout.console.open("ab") as out:
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=env, start_new_session=True,
                                cwd=layout.home)
    layout.pidfile.write_text(str(proc.pid))
    return proc


def await_ready(layout: Layout, proc: subprocess.Popen, ready: Callable[[], bool],
                timeout: float, what: str, logs: Sequence[Path] = ()) -> None:
    """Wait until `ready()`; on timeout or exit, kill the process and raise with its logs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        if ready():
            return
        time.sleep(0.5)
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    layout.pidfile.unlink(missing_ok=True)
    shown = "".join(f"\n--- {path}\n{tail(path)}" for path in (*logs, layout.console))
    raise LocalServerError(
        f"{what} within {timeout:.0f}s (exit code {proc.returncode}).{shown}")


def stop(layout: Layout, main_class: str, label: str, timeout: float = 60.0,
         log: Log = print) -> None:
    """Stop the server started by `launch`: SIGTERM, then SIGKILL after `timeout`."""
    pid = running_pid(layout, main_class)
    if pid is None:
        log(f"{label} is not running.")
        layout.pidfile.unlink(missing_ok=True)
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while alive(pid, main_class) and time.monotonic() < deadline:
        time.sleep(0.25)
    if alive(pid, main_class):
        os.kill(pid, signal.SIGKILL)
    layout.pidfile.unlink(missing_ok=True)
    log(f"{label} stopped (pid {pid}).")
