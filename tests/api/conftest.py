"""A real `stormops serve` process on a free loopback port, and API keys for two tenants."""

from __future__ import annotations

import shutil
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from neo4j import Driver

from stormops.cli.console import api_command, process
from stormops.core.settings import Settings
from stormops.graph import delete_tenant
from stormops.graph.api_keys import create_api_key
from stormops.matching.model import MatchingModel
from stormops.matching.store import ModelStore


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(log_path: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """A `stormops serve` process (with extra environment) until the block ends; its URL."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with process(api_command(port), f"{url}/readyz", "the API", log_path, env or {}):
        yield url


@pytest.fixture(scope="session")
def api_url(driver: Driver, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("api") / "server.log") as url:
        yield url


@dataclass(frozen=True)
class TenantKeys:
    tenant: str
    service: str
    reviewer: str
    admin: str


def _tenant_keys(driver: Driver, database: str) -> TenantKeys:
    tenant = f"api-{uuid.uuid4().hex[:10]}"
    return TenantKeys(tenant, *(create_api_key(driver, database, tenant, role)
                                for role in ("service", "reviewer", "admin")))


@pytest.fixture
def keys(driver: Driver, settings) -> Iterator[TenantKeys]:
    made = _tenant_keys(driver, settings.neo4j_database)
    yield made
    delete_tenant(driver, settings.neo4j_database, made.tenant)


@pytest.fixture
def other_keys(driver: Driver, settings) -> Iterator[TenantKeys]:
    made = _tenant_keys(driver, settings.neo4j_database)
    yield made
    delete_tenant(driver, settings.neo4j_database, made.tenant)


@pytest.fixture
def client(api_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api_url, timeout=30) as http:
        yield http


@pytest.fixture
def with_model(keys: TenantKeys, model: MatchingModel, settings: Settings) -> Iterator[str]:
    """The tenant's model, where the server reads models (the same settings' model_dir)."""
    store = ModelStore(settings.model_dir)
    store.save(keys.tenant, model)
    yield keys.tenant
    shutil.rmtree(store.folder(keys.tenant))
