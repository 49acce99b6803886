"""A tenant seeded as `stormops demo` seeds one (small): storms with their impacted homes, a
geo split and a door-knock holdout over one storm, events as the arms let them happen, that
storm's live state; keys of each role; a real API server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from neo4j import Driver

from stormops.cli.events import demo_experiments
from stormops.core.events import row_to_event
from stormops.core.settings import Settings
from stormops.graph import delete_tenant
from stormops.graph.api_keys import create_api_key
from stormops.graph.journeys import JourneyGraph
from stormops.samples.journeys import generate_journeys
from stormops.services import Services
from tests.api.conftest import serve

ROWS, SEED = 600, 7


@dataclass(frozen=True)
class Seeded:
    tenant: str
    storm: str
    email: str  # an identifier of someone with a journey in the storm
    keys: dict[str, str]  # role -> key
    api_url: str


@pytest.fixture(scope="module")
def seeded(driver: Driver, settings: Settings,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    tenant = f"console-{uuid.uuid4().hex[:10]}"
    database = settings.neo4j_database
    journeys = JourneyGraph(driver, database)
    journeys.upsert_storms(tenant, generate_journeys(ROWS, SEED, impacted=True).storms)
    services = Services(settings, driver=driver)
    storm, withheld = demo_experiments(services, tenant, ROWS, SEED)
    made = generate_journeys(ROWS, SEED, impacted=True, withheld=withheld)
    journeys.load_events(tenant, [row_to_event(e) for e in made.events])
    services.live(tenant).reconcile(storm)
    email = next(e["email"] for e in made.events
                 if e["storm_id"] == storm and e["email"] and e["property_id"])
    keys = {role: create_api_key(driver, database, tenant, role)
            for role in ("reader", "service", "reviewer", "admin")}
    try:
        with serve(tmp_path_factory.mktemp("console-api") / "server.log") as url:
            yield Seeded(tenant, storm, email, keys, url)
    finally:
        delete_tenant(driver, database, tenant)


def api(seeded: Seeded, role: str = "reader") -> httpx.Client:
    return httpx.Client(base_url=seeded.api_url, timeout=30,
                        headers={"X-API-Key": seeded.keys[role]})
