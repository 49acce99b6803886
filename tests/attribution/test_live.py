"""LiveAttribution against the real Neo4j: the roadmap's three operations, catching up after
a bulk load, and a rebuild when the tenant's attribution config changes."""

from __future__ import annotations

import pytest
from neo4j import Driver

from stormops.attribution.engine import AttributionEngine, save_tenant_config
from stormops.attribution.live import MIN_PART, LiveAttribution
from stormops.core.errors import InvalidInput, NotFound
from stormops.core.events import row_to_event
from stormops.graph.attribution import AttributionStore
from stormops.samples.journeys import generate_journeys
from stormops.services import Services

STORM = "S2024-HAIL-DFW"


@pytest.fixture
def live(driver: Driver, settings, tenant: str) -> LiveAttribution:
    return Services(settings, driver=driver).live(tenant)


def _batch(driver: Driver, settings, tenant: str, method: str) -> dict[str, float]:
    engine = AttributionEngine(tenant, None, store=AttributionStore(driver,
                                                                    settings.neo4j_database))
    return engine.attribute_storm(STORM, [method], persist=False)["methods"][method]["channels"]


def _events() -> list[dict]:
    return [row_to_event(e) for e in generate_journeys(400, 5).events if e["storm_id"] == STORM]


def test_process_event_update_and_dashboard(live: LiveAttribution, driver: Driver, settings,
                                            tenant: str) -> None:
    with pytest.raises(NotFound):
        live.get_live_dashboard(STORM)
    events = _events()
    for event in events[:30]:
        assert live.process_event(event)["status"] == "recorded"
    assert live.process_event(events[0])["status"] == "duplicate"
    with pytest.raises(InvalidInput):
        live.process_event({**events[1], "event_id": "x", "channel": "telepathy"})
    board = live.get_live_dashboard(STORM)
    assert board["events"] == 30
    journey = live.process_event(events[30])["journey_id"]
    assert live.update_attribution(journey) == []  # already up to date: nothing rewritten
    assert live.get_live_dashboard(STORM)["version"] == board["version"] + 1


def test_reconcile_after_a_bulk_load_and_rebuild_on_a_new_config(
        live: LiveAttribution, driver: Driver, settings, tenant: str) -> None:
    events = _events()
    live.process_events(events[:50])
    live.journeys.load_events(tenant, events[50:])  # the bulk path bypasses live attribution
    assert live.get_live_dashboard(STORM)["events"] == 50
    assert live.reconcile(STORM) > 0
    board = live.get_live_dashboard(STORM)
    assert board["events"] == len(events)
    assert board["credit"] == pytest.approx(_batch(driver, settings, tenant, "markov"),
                                            rel=1e-9)
    assert live.reconcile(STORM) == 0

    save_tenant_config(tenant, {"default_method": "time_decay", "value": "conversions"},
                       store=AttributionStore(driver, settings.neo4j_database))
    some = live.store.storm_journeys(tenant, STORM)[:1]
    live.update_journeys(some)  # the next update finds the state built under the old config
    board = live.get_live_dashboard(STORM)
    assert (board["method"], board["value"], board["events"]) == (
        "time_decay", "conversions", len(events))
    assert board["credit"] == pytest.approx(_batch(driver, settings, tenant, "time_decay"),
                                            rel=1e-9)


def test_a_large_batch_written_in_parts_at_once_equals_batch_credit(
        live: LiveAttribution, driver: Driver, settings, tenant: str) -> None:
    """A stream batch big enough to split runs as two transactions at a time; the parts meet
    at the storm's lock, and the result is that of one transaction: every event once, live
    credit equal to a batch run, a replay of the whole batch a no-op."""
    events = [row_to_event(e) for e in generate_journeys(1_500, 8).events
              if e["storm_id"] == STORM]
    assert len(events) >= 2 * MIN_PART  # two parts
    done = live.process_events(events, writers=2)
    assert done.recorded == len(events) and not done.rejected and done.storms == [STORM]
    board = live.get_live_dashboard(STORM)
    assert board["events"] == len(events)
    assert board["credit"] == pytest.approx(_batch(driver, settings, tenant, "markov"),
                                            rel=1e-9)
    again = live.process_events(events, writers=2)
    assert again.recorded == 0 and again.storms == []
    assert live.get_live_dashboard(STORM)["version"] == board["version"]
