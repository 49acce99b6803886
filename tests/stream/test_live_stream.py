"""The live consumer against a real broker and Neo4j: ordering, duplicates, poison messages,
kill -9 and restart, a broker restart, and a rebalance between two consumers. After each:
touchpoints equal distinct event ids, and live credit equals a batch run over the graph."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from stormops.attribution.engine import AttributionEngine
from stormops.cli import kafka_local
from stormops.core.events import row_to_event
from stormops.core.settings import Settings
from stormops.graph.attribution import AttributionStore
from stormops.graph.live import LiveStore
from stormops.samples.journeys import generate_journeys
from stormops.services import Services
from stormops.stream import EventPublisher
from tests.kafka_fixtures import StreamNames, fresh_streams, read_topic, require_broker

ROWS, SEED = 900, 3  # about 2,400 sample events over seven storms


@pytest.fixture(scope="module")
def sample() -> dict[str, list[dict]]:
    made = generate_journeys(ROWS, SEED)
    by_storm: dict[str, list[dict]] = {}
    for row in made.events:
        by_storm.setdefault(row["storm_id"], []).append(row_to_event(row))
    return by_storm


@pytest.fixture
def streams(driver: Driver, settings: Settings) -> StreamNames:
    require_broker(settings)
    return fresh_streams(settings)


class Consumers:
    """`stormops live run` processes; every one still running is stopped at the end."""

    def __init__(self, names: StreamNames, logs: Path) -> None:
        self.names, self.logs, self.procs = names, logs, {}

    def start(self, member: str, *args: str) -> subprocess.Popen:
        log = (self.logs / f"{member}.log").open("ab")
        self.procs[member] = subprocess.Popen(
            [sys.executable, "-m", "stormops.cli.main", "live", "run", "--member", member,
             "--max-batch", "60", *args], env={**os.environ, **self.names.env},
            stdout=log, stderr=subprocess.STDOUT)
        return self.procs[member]

    def output(self, member: str) -> str:
        return (self.logs / f"{member}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def consumers(streams: StreamNames, tmp_path: Path) -> Iterator[Consumers]:
    made = Consumers(streams, tmp_path)
    yield made
    made.stop_all()


def _wait(condition: Callable[[], bool], timeout: float, what: str,
          consumers: Consumers, state: Callable[[], str] = str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            logs = "".join(f"\n--- {m}\n{consumers.output(m)[-1500:]}" for m in consumers.procs)
            pytest.fail(f"timed out waiting for {what}: {state()}{logs}")
        time.sleep(0.5)


def _touchpoints(driver: Driver, tenant: str) -> int:
    records, _, _ = driver.execute_query(
        "MATCH (t:Touchpoint) WHERE t.key STARTS WITH $prefix RETURN count(t) AS n",
        prefix=f"{tenant}|")
    return records[0]["n"]


def _assert_consistent(driver: Driver, settings: Settings, tenant: str, storm: str,
                       event_ids: set[str]) -> dict:
    """Nothing lost, nothing counted twice, live credit equal to batch credit."""
    assert _touchpoints(driver, tenant) == len(event_ids)
    live = Services(settings, driver=driver).live(tenant)
    dashboard = live.get_live_dashboard(storm)
    assert dashboard["events"] == len(event_ids)
    engine = AttributionEngine(tenant, None, store=AttributionStore(driver,
                                                                    settings.neo4j_database))
    batch = engine.attribute_storm(storm, [dashboard["method"]], persist=False)
    expected = batch["methods"][dashboard["method"]]["channels"]
    assert dashboard["credit"] == pytest.approx(expected, rel=1e-9)
    assert sum(expected.values()) > 0
    return dashboard


def _event_id(value: bytes) -> str:
    try:
        return json.loads(value)["event_id"]
    except json.JSONDecodeError:
        return "bad-json"


def test_out_of_order_duplicates_and_poison(driver: Driver, settings: Settings, tenant: str,
                                            streams: StreamNames, consumers: Consumers,
                                            sample: dict[str, list[dict]]) -> None:
    storm = "S2024-HAIL-DFW"
    events = list(sample[storm])
    random.Random(1).shuffle(events)  # conversions before their touches, journeys interleaved
    resent = events[:40]  # duplicates: the same event ids again, later
    with EventPublisher(settings.kafka_bootstrap, streams.topic) as publisher:
        for event in events[:len(events) // 2]:
            publisher.send(tenant, event)
        publisher.send_raw(tenant, b'{"event_id": "bad-json", ', f"{tenant}|x")
        publisher.send(tenant, {**events[0], "event_id": "bad-channel", "channel": "telepathy"})
        publisher.send(tenant, {k: v for k, v in {**events[1], "event_id": "no-who"}.items()
                                if k != "identifiers"})
        for event in events[len(events) // 2:] + resent:
            publisher.send(tenant, event)
        publisher.flush()
    consumer = consumers.start("solo", "--idle-exit", "5")
    assert consumer.wait(300) == 0, consumers.output("solo")[-3000:]

    dead = read_topic(settings, streams.dead_letter, 3)
    reasons = {_event_id(m.value()): dict(m.headers())["error"].decode() for m in dead}
    assert set(reasons) == {"bad-json", "bad-channel", "no-who"}
    assert "bad JSON" in reasons["bad-json"]
    assert "channel" in reasons["bad-channel"] and "telepathy" in reasons["bad-channel"]
    assert "identifiers" in reasons["no-who"]
    assert all(dict(m.headers())["tenant"].decode() == tenant for m in dead)
    dashboard = _assert_consistent(driver, settings, tenant, storm,
                                   {e["event_id"] for e in events})
    assert dashboard["conversions"] == sum(1 for e in events if e.get("kind") == "conversion")


def test_kill_broker_restart_and_rebalance(driver: Driver, settings: Settings, tenant: str,
                                           streams: StreamNames, consumers: Consumers,
                                           sample: dict[str, list[dict]]) -> None:
    storm = "S2023-HAIL-DFW"
    events = sample[storm]
    half = len(events) // 2
    store = LiveStore(driver, settings.neo4j_database)

    def members() -> set[str]:
        return {row["member"] for row in store.read_progress(streams.group, streams.topic)}

    with EventPublisher(settings.kafka_bootstrap, streams.topic) as publisher:
        publisher.publish(tenant, events[:half])
    first = consumers.start("first")
    consumers.start("second")
    # Two members split the four partitions between them.
    _wait(lambda: members() == {"first", "second"}, 180, "both consumers to hold partitions",
          consumers)
    _wait(lambda: _touchpoints(driver, tenant) > 0, 120, "the first writes", consumers)
    first.send_signal(signal.SIGKILL)  # mid-stream: its last batch may be written, not committed
    first.wait(10)

    with EventPublisher(settings.kafka_bootstrap, streams.topic) as publisher:
        publisher.publish(tenant, events[half:])
    kafka_local.stop(settings, log=lambda _: None)  # the broker goes away under the consumer
    kafka_local.start(settings, log=lambda _: None)
    consumers.start("restarted")

    def caught_up() -> bool:
        rows = store.read_progress(streams.group, streams.topic)
        return (_touchpoints(driver, tenant) == len(events) and len(rows) == 4
                and all(r["lag"] == 0 for r in rows))

    _wait(caught_up, 400, f"the group to catch up ({len(events)} events)", consumers,
          lambda: f"touchpoints {_touchpoints(driver, tenant)}, progress "
                  f"{store.read_progress(streams.group, streams.topic)}")
    consumers.stop_all()
    _assert_consistent(driver, settings, tenant, storm, {e["event_id"] for e in events})
