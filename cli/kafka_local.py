"""A local Apache Kafka broker without Docker: jars from Maven Central, run on the JDK.

One KRaft node (broker and controller in one process) bound to 127.0.0.1. The runtime
dependency closure of `deploy/kafka-pom.xml` is copied once into `<kafka_home>/lib`; the data
folder is formatted once with a fresh cluster id (`kafka.tools.StorageTool format`), and
`kafka.Kafka` runs with the `server.properties` written from
`deploy/kafka.properties.template` on every start. Once the broker answers, the event topic
and its dead-letter topic are created if missing.
"""

from __future__ import annotations

import base64
import os
import uuid
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING

from stormops.cli import _jvm
from stormops.cli._jvm import Layout, Log, Status
from stormops.core.local import PROJECT_ROOT

if TYPE_CHECKING:
    from stormops.core.settings import Settings

POM = PROJECT_ROOT / "deploy" / "kafka-pom.xml"
CONF_TEMPLATE = PROJECT_ROOT / "deploy" / "kafka.properties.template"
LOG_CONFIG = PROJECT_ROOT / "deploy" / "kafka-log4j2.properties"
MAIN_CLASS = "kafka.Kafka"
STORAGE_TOOL = "kafka.tools.StorageTool"
JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-Djava.awt.headless=true",
    "-Dfile.encoding=UTF-8",
)


def layout(settings: Settings) -> Layout:
    """Where the local broker keeps its files (STORMOPS_KAFKA_HOME)."""
    return Layout(settings.kafka_home, "kafka")


def assemble(layout: Layout, log: Log = print) -> None:
    """Copy the broker's runtime jars from Maven Central into lib/, unless this pom did."""
    _jvm.assemble(layout, POM, "Kafka", log, maven_args=("-Dmdep.includeScope=runtime",))


def version(layout: Layout) -> str | None:
    """Version of the assembled broker, read from its jar name."""
    jars = sorted(layout.lib.glob("kafka_2.13-*.jar")) if layout.lib.exists() else []
    return jars[0].stem.removeprefix("kafka_2.13-") if jars else None


def write_conf(layout: Layout, settings: Settings) -> Path:
    layout.make_dirs()
    text = Template(CONF_TEMPLATE.read_text()).substitute(
        port=settings.kafka_port, controller_port=settings.kafka_controller_port,
        data_dir=layout.data, partitions=settings.events_partitions,
    )
    target = layout.conf / "server.properties"
    target.write_text(text)
    return target


def _cluster_id() -> str:
    """A Kafka cluster id: 16 random bytes, URL-safe base64 without padding, not led by '-'."""
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not text.startswith("-"):
            return text


def _format_once(layout: Layout, conf: Path, log: Log) -> None:
    """Format the data folder with a new cluster id, unless it was formatted before."""
    if (layout.data / "meta.properties").exists():
        return
    cluster = _cluster_id()
    log(f"Formatting {layout.data} for cluster {cluster} (once) ...")
    _jvm.run_tool(layout, STORAGE_TOOL, ["format", "-t", cluster, "-c", str(conf)],
                  "formatting the Kafka data folder")


def _ready(settings: Settings) -> bool:
    from stormops.stream import broker_reachable

    return _jvm.port_open(settings.kafka_port) and broker_reachable(settings.kafka_bootstrap)


def status(settings: Settings) -> Status:
    where = layout(settings)
    return _jvm.status(where, MAIN_CLASS, f"Kafka {version(where) or '(not assembled)'} "
                       "(KRaft, one node)", f"bootstrap 127.0.0.1:{settings.kafka_port}  "
                       f"controller 127.0.0.1:{settings.kafka_controller_port}")


def _topics(settings: Settings) -> dict[str, int]:
    return {settings.events_topic: settings.events_partitions,
            settings.dead_letter_topic: 1}


def _ensure_topics(settings: Settings) -> list[str]:
    from stormops.stream import ensure_topics  # the Kafka client loads with the broker

    return ensure_topics(settings.kafka_bootstrap, _topics(settings))


def start(settings: Settings, timeout: float = 120.0, log: Log = print) -> Status:
    """Start the broker if it is not running, wait until it answers, create the topics."""
    where = layout(settings)
    if (pid := _jvm.running_pid(where, MAIN_CLASS)) is not None:
        log(f"Kafka is already running (pid {pid}).")
        _ensure_topics(settings)
        return status(settings)
    _jvm.check_ports_free((settings.kafka_port, settings.kafka_controller_port))
    assemble(where, log)
    conf = write_conf(where, settings)
    _format_once(where, conf, log)
    cmd = [_jvm.java(), f"-Xms{settings.kafka_heap}", f"-Xmx{settings.kafka_heap}", *JVM_OPTIONS,
           f"-Dkafka.logs.dir={where.logs}", f"-Dlog4j2.configurationFile={LOG_CONFIG}",
           "-cp", f"{where.lib}/*", MAIN_CLASS, str(conf)]
    proc = _jvm.launch(where, cmd, env={**os.environ})
    log(f"Starting Kafka (pid {proc.pid}), waiting for 127.0.0.1:{settings.kafka_port} ...")
    _jvm.await_ready(where, proc, lambda: _ready(settings), timeout, "Kafka did not answer",
                logs=(where.logs / "server.log",))
    created = _ensure_topics(settings)
    log("Kafka is up." + (f" Topics created: {', '.join(created)}." if created else ""))
    return status(settings)


def stop(settings: Settings, timeout: float = 60.0, log: Log = print) -> None:
    """Stop the broker started by `start`: gracefully, then by force after `timeout`."""
    _jvm.stop(layout(settings), MAIN_CLASS, "Kafka", timeout, log)
