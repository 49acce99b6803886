"""One API server and one console (Streamlit) per session, against the real Neo4j; a tenant
per test with keys of each role and a seeded review queue."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from neo4j import Driver

from stormops.cli.console import process, streamlit_command
from stormops.graph import delete_tenant
from stormops.graph.api_keys import create_api_key
from tests.api.conftest import _free_port, serve

# The browser tests' screenshots: a temporary folder, so a test run leaves the work tree as it
# was; `make screenshots` sets STORMOPS_SCREENSHOTS to refresh the ones in screenshots/console/.
SCREENSHOTS = Path(os.environ.get("STORMOPS_SCREENSHOTS")
                   or Path(tempfile.gettempdir()) / "stormops-screenshots")


@pytest.fixture(scope="session")
def api_url(driver: Driver, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The API; the console (AppTest runs in this process) is pointed at it."""
    with serve(tmp_path_factory.mktemp("api") / "server.log") as url, \
            pytest.MonkeyPatch.context() as patch:
        patch.setenv("STORMOPS_API_URL", url)
        yield url


@pytest.fixture(scope="session")
def console_url(api_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run` of the console on a free loopback port."""
    port = _free_port()
    log = tmp_path_factory.mktemp("console") / "console.log"
    with process(streamlit_command(port), f"http://127.0.0.1:{port}/_stcore/health",
                 "the console", log, {"STORMOPS_API_URL": api_url}):
        yield f"http://127.0.0.1:{port}"


@dataclass(frozen=True)
class Tenant:
    """A tenant with a key of each role and its seeded open review items (oldest first)."""

    name: str
    keys: dict[str, str]
    items: list[dict]

    def api(self, api_url: str, role: str = "admin") -> httpx.Client:
        return httpx.Client(base_url=api_url, headers={"X-API-Key": self.keys[role]},
                            timeout=60)


def seed_queue(api: httpx.Client, pairs: int) -> list[dict]:
    """`pairs` merge candidates: identities A<n> and B<n>, then a record naming both."""
    for n in range(pairs):
        for side in "ab":
            api.post("/v1/records", json={"email": f"{side}{n}@example.com",
                                          "device_id": f"d-{side}{n}", "first_name": "Jo",
                                          "last_name": f"Ray{side}{n}"}).raise_for_status()
        made = api.post("/v1/records", json={"email": f"a{n}@example.com",
                                             "device_id": f"d-b{n}"})
        assert made.json()["outcome"] == "queued", made.text
    return api.get("/v1/review", params={"limit": 200}).json()["items"]


@pytest.fixture
def seeded(driver: Driver, settings, api_url: str) -> Iterator[Tenant]:
    name = f"console-{uuid.uuid4().hex[:10]}"
    keys = {role: create_api_key(driver, settings.neo4j_database, name, role, f"test {role}")
            for role in ("reader", "service", "reviewer", "admin")}
    with httpx.Client(base_url=api_url, headers={"X-API-Key": keys["service"]},
                      timeout=60) as api:
        items = seed_queue(api, 3)
    yield Tenant(name, keys, items)
    delete_tenant(driver, settings.neo4j_database, name)


def screenshot_path(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"

