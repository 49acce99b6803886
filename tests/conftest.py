"""Fixtures for tests against a real Neo4j: one driver per session, one tenant per test.

A missing server skips graph tests locally; with STORMOPS_REQUIRE_NEO4J=1 (CI) it fails them.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator

import pytest
from neo4j import Driver
from neo4j.exceptions import ServiceUnavailable, SessionExpired

from stormops.core.settings import Settings
from stormops.graph import IdentityGraph, apply_schema, delete_tenant, open_driver
from stormops.matching.model import MatchingModel
from stormops.matching.normalize import normalize_records
from stormops.samples.homeowners import generate_records


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def driver(settings: Settings) -> Iterator[Driver]:
    with open_driver(settings) as drv:
        try:
            drv.verify_connectivity()
        except (ServiceUnavailable, OSError) as exc:
            message = f"Neo4j not reachable at {settings.neo4j_uri}: {exc}"
            if os.environ.get("STORMOPS_REQUIRE_NEO4J") == "1":
                pytest.fail(message)
            pytest.skip(message)
        apply_schema(drv, settings.neo4j_database)
        yield drv


@pytest.fixture(scope="session")
def model() -> MatchingModel:
    """A matching model trained once per run on the sample (1,500 records)."""
    trained = MatchingModel()
    trained.training.fit(normalize_records(generate_records(1_500, seed=9)).records)
    return trained


@pytest.fixture
def graph(driver: Driver, settings: Settings) -> IdentityGraph:
    return IdentityGraph(driver, settings.neo4j_database)


@pytest.fixture
def tenant(driver: Driver, settings: Settings) -> Iterator[str]:
    """A fresh tenant id for one test; its data is deleted afterwards."""
    name = f"test-{uuid.uuid4().hex[:12]}"
    yield name
    delete_tenant(driver, settings.neo4j_database, name)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "driver" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.neo4j)
    # Tests that stop or kill the server run last, so no other test meets a restarting one.
    items.sort(key=lambda item: item.get_closest_marker("restarts_neo4j") is not None)


def reconnect(driver: Driver, database: str, attempts: int = 120) -> None:
    """After the server was restarted: wait until it answers, then cycle the pool's stale
    connections out by running a query on each (a dead connection fails once, is dropped)."""
    for _ in range(attempts):
        try:
            with driver.session(database=database) as session:
                session.run("RETURN 1").consume()
            break
        except (ServiceUnavailable, SessionExpired, OSError):
            time.sleep(0.5)
    for _ in range(64):
        try:
            driver.execute_query("RETURN 1", database_=database)
        except (ServiceUnavailable, SessionExpired):
            continue
