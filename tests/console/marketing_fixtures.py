"""A tenant seeded as `stormops demo` seeds one (small): storms with their impacted homes, a
geo split and a door-knock holdout over one storm, events as the arms let them happen, that
storm's live state, a stored mix-model fit; keys of each role; a real API server."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import numpy as np
import pytest
from neo4j import Driver

from stormops.cli.events import demo_experiments
from stormops.core.events import row_to_event
from stormops.core.settings import Settings
from stormops.graph import delete_tenant
from stormops.graph.api_keys import create_api_key
from stormops.graph.journeys import JourneyGraph
from stormops.mmm import MixPosterior, MixStore
from stormops.samples.journeys import generate_journeys
from stormops.samples.mmm import generate_mmm
from stormops.services import Services
from tests.api.conftest import serve

ROWS, SEED = 600, 7
MIX_VERSION = "20261201T000000000Z-0c0ffee0"


def store_mix(settings: Settings, tenant: str, draws: int = 400) -> MixPosterior:
    """A stored mix fit whose draws scatter around a known-truth sample's curves (the page
    reads stored fits; fitting itself is tested in tests/mmm)."""
    sample = generate_mmm(weeks=52, channels=5, seed=11)
    names = tuple(sorted(sample.truth))
    truth = [sample.truth[c] for c in names]
    rng = np.random.default_rng(11)
    noise = rng.lognormal(0, 0.25, (draws, len(names)))
    post = MixPosterior(names, np.array([[t.lam for t in truth]]) * np.ones((draws, 1)),
                        np.array([[t.beta for t in truth]]) * noise,
                        np.array([t.scale for t in truth]),
                        np.array([[t.roi for t in truth]]) * noise,
                        np.array([sample.spend[c].mean() for c in names]))
    MixStore(settings.model_dir).save(tenant, {
        "version": MIX_VERSION, "tenant_id": tenant, "fitted_at": "2026-12-01T00:00:00+00:00",
        "window": {"start": sample.weeks[0].isoformat(), "end": sample.weeks[-1].isoformat(),
                   "weeks": len(sample.weeks)},
        "diagnostics": {"r_hat_max": 1.01, "ess_bulk_min": 350.0, "divergences": 0},
        "lift_tests": sample.lift_tests, "settings": {}, "fit_seconds": 20.0}, post)
    return post


@dataclass(frozen=True)
class Seeded:
    tenant: str
    storm: str
    mix_version: str
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
    store_mix(settings, tenant)
    try:
        with serve(tmp_path_factory.mktemp("console-api") / "server.log") as url:
            yield Seeded(tenant, storm, MIX_VERSION, email, keys, url)
    finally:
        delete_tenant(driver, database, tenant)
        shutil.rmtree(MixStore(settings.model_dir).folder(tenant), ignore_errors=True)


def api(seeded: Seeded, role: str = "reader") -> httpx.Client:
    return httpx.Client(base_url=seeded.api_url, timeout=30,
                        headers={"X-API-Key": seeded.keys[role]})
