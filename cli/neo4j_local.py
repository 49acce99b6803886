"""A local Neo4j Community server without Docker: jars from Maven Central, run on the JDK.

The dependency closure of `deploy/pom.xml` is copied once into `<neo4j_home>/lib`; later
starts reuse it with no network. The server runs `org.neo4j.server.CommunityEntryPoint` in the
background, bound to 127.0.0.1, and is stopped by the pid recorded at start.
"""

from __future__ import annotations

import os
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from stormops.cli import _jvm
from stormops.cli._jvm import (
    Layout,
    LocalServerError,
    Log,
    Status,
    await_ready,
    check_ports_free,
    java,
    launch,
    port_open,
    running_pid,
)
from stormops.core.local import PROJECT_ROOT

if TYPE_CHECKING:
    from stormops.core.settings import Settings

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


def layout(settings: Settings) -> Layout:
    """Where the local Neo4j keeps its files (STORMOPS_NEO4J_HOME)."""
    return Layout(settings.neo4j_home, "neo4j")


def version(layout: Layout) -> str | None:
    """Version of the assembled engine, read from its jar name."""
    jars = sorted(layout.lib.glob("neo4j-5.*.jar")) if layout.lib.exists() else []
    return jars[0].stem.removeprefix("neo4j-") if jars else None


def assemble(layout: Layout, log: Log = print) -> None:
    """Copy the server's jars from Maven Central into lib/, unless the same pom did already."""
    _jvm.assemble(layout, POM, "Neo4j", log)


def write_conf(layout: Layout, settings: Settings) -> Path:
    layout.make_dirs()
    text = Template(CONF_TEMPLATE.read_text()).substitute(
        bolt_port=settings.bolt_port, http_port=settings.http_port, data_dir=layout.data,
        logs_dir=layout.logs, run_dir=layout.run, pagecache=settings.neo4j_pagecache,
        api_url=settings.api_url.rstrip("/"), api_host=urlparse(settings.api_url).hostname,
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
    _jvm.run_tool(layout, ADMIN_TOOL, ["dbms", "set-initial-password",
                                       settings.neo4j_password.get_secret_value()],
                  "setting the initial password", env=_java_env(layout))


def _bolt_ready(settings: Settings) -> bool:
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ServiceUnavailable

    if not port_open(settings.bolt_port):
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
        raise LocalServerError(
            f"Neo4j answers but refuses the password from NEO4J_PASSWORD ({exc.message}); "
            "the data folder was initialised with another password"
        ) from None


def status(settings: Settings) -> Status:
    where = layout(settings)
    return _jvm.status(where, ENTRY_POINT, f"Neo4j {version(where) or '(not assembled)'} "
                       "Community", f"bolt://127.0.0.1:{settings.bolt_port}  "
                       f"http://127.0.0.1:{settings.http_port}/browser/")


def start(settings: Settings, timeout: float = 180.0, log: Log = print) -> Status:
    """Start the server if it is not running and wait until Bolt answers a query."""
    where = layout(settings)
    if (pid := running_pid(where, ENTRY_POINT)) is not None:
        log(f"Neo4j is already running (pid {pid}).")
        return status(settings)
    check_ports_free((settings.bolt_port, settings.http_port))
    assemble(where, log)
    write_conf(where, settings)
    _set_initial_password(where, settings)
    cmd = [java(), f"-Xms{settings.neo4j_heap}", f"-Xmx{settings.neo4j_heap}", *JVM_OPTIONS,
           "-cp", f"{where.lib}/*", ENTRY_POINT,
           f"--home-dir={where.home}", f"--config-dir={where.conf}"]
    proc = launch(where, cmd, env=_java_env(where))
    log(f"Starting Neo4j (pid {proc.pid}), waiting for Bolt on port {settings.bolt_port} ...")
    await_ready(where, proc, lambda: _bolt_ready(settings), timeout,
                "Neo4j did not answer on Bolt", logs=(where.logs / "neo4j.log",))
    log("Neo4j is up.")
    return status(settings)


def stop(settings: Settings, timeout: float = 60.0, log: Log = print) -> None:
    """Stop the server started by `start`, gracefully, then by force after `timeout`."""
    _jvm.stop(layout(settings), ENTRY_POINT, "Neo4j", timeout, log)
