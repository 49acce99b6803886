"""Live attribution over HTTP: the dashboard, its server-sent-events stream, tenant isolation,
and `POST /v1/events` publishing to Kafka where the deployment says so."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from tests.api.conftest import TenantKeys, serve
from tests.api.test_events import _problem, event, h
from tests.kafka_fixtures import StreamNames, fresh_streams, read_topic, require_broker

STORM = "S2024-HAIL-DFW"


def _journey(client: httpx.Client, key: str, email: str, start: int, converts: bool) -> None:
    events = [event(f"{email}-1", start, channel="door_knock", cost=18.0,
                    identifiers={"email": email}),
              event(f"{email}-2", start + 1, channel="sms", cost=0.05,
                    identifiers={"email": email})]
    if converts:
        events.append(event(f"{email}-3", start + 2, "conversion", revenue=12_000.0,
                            identifiers={"email": email}))
    resp = client.post("/v1/events", json={"events": events}, headers=h(key))
    assert resp.status_code == 200, resp.text


def test_dashboard_follows_events_and_equals_batch(client: httpx.Client,
                                                   keys: TenantKeys) -> None:
    svc = h(keys.service)
    assert client.get(f"/v1/live/storms/{STORM}", headers=svc).status_code == 404
    for n, converts in enumerate((True, False, True)):
        _journey(client, keys.service, f"p{n}@example.com", 1 + n, converts)
    resp = client.get(f"/v1/live/storms/{STORM}", headers=svc)
    assert resp.status_code == 200, resp.text
    board = resp.json()
    assert (board["events"], board["conversions"], board["journeys"]) == (8, 2, 3)
    assert board["revenue"] == 24_000.0 and board["spend"] == pytest.approx(3 * 18.05)
    assert board["newest_event_at"].startswith("2024-05-05T10:00:00")
    assert sum(m["events"] for m in board["per_minute"]) <= 8
    batch = client.post(f"/v1/attribution/storms/{STORM}", json={"methods": [board["method"]]},
                        headers=svc).json()["methods"][board["method"]]["channels"]
    assert board["credit"] == pytest.approx(batch, rel=1e-9)
    knock = next(c for c in board["channels"] if c["channel"] == "door_knock")
    assert knock["cpa"] == pytest.approx(knock["spend"] / knock["credit_conversions"])
    assert knock["roas"] == pytest.approx(knock["credit_revenue"] / knock["spend"])
    assert board["incremental"] is None  # no experiment covers the storm


def test_dashboard_is_tenant_scoped(client: httpx.Client, keys: TenantKeys,
                                    other_keys: TenantKeys) -> None:
    _journey(client, keys.service, "solo@example.com", 1, True)
    _problem(client.get(f"/v1/live/storms/{STORM}", headers=h(other_keys.service)), 404,
             "storm_id")
    _problem(client.get(f"/v1/live/storms/{STORM}"), 401)
    _problem(client.get(f"/v1/live/storms/{STORM}/stream", params={"interval": 0},
                        headers=h(keys.service)), 422, "interval")


def _next_dashboard(lines: Iterator[str]) -> dict:
    for line in lines:
        if line.startswith("data: "):
            return json.loads(line.removeprefix("data: "))
    raise AssertionError("the stream ended")


def test_stream_sends_the_dashboard_when_it_changes(client: httpx.Client, api_url: str,
                                                   keys: TenantKeys) -> None:
    _journey(client, keys.service, "first@example.com", 1, False)
    with httpx.stream("GET", f"{api_url}/v1/live/storms/{STORM}/stream",
                      params={"interval": 0.2, "refresh": 60}, headers=h(keys.service),
                      timeout=60) as resp:
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith("text/event-stream")
        lines = resp.iter_lines()
        assert _next_dashboard(lines)["events"] == 2
        _journey(client, keys.service, "second@example.com", 3, True)
        assert _next_dashboard(lines)["events"] == 5


@pytest.fixture(scope="module")
def kafka_api(driver, settings, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[tuple[str, StreamNames]]:
    """A server that publishes events to a topic of its own instead of writing them."""
    require_broker(settings)
    names = fresh_streams(settings)
    with serve(tmp_path_factory.mktemp("api-kafka") / "server.log",
               {**names.env, "STORMOPS_EVENTS_VIA_KAFKA": "true"}) as url:
        yield url, names


def test_events_published_to_kafka(kafka_api: tuple[str, StreamNames], keys: TenantKeys,
                                   settings, driver) -> None:
    url, names = kafka_api
    with httpx.Client(base_url=url, timeout=30) as http:
        resp = http.post("/v1/events", json={"events": [event("k1"), event("k2", 2)]},
                         headers=h(keys.service))
        assert resp.status_code == 202, resp.text
        assert resp.json() == {"published": 2, "topic": names.topic}
        _problem(http.post("/v1/events", json=event("k3", channel="telepathy"),
                           headers=h(keys.service)), 422, "channel")
    published = read_topic(settings, names.topic, 2)
    assert sorted(json.loads(m.value())["event_id"] for m in published) == ["k1", "k2"]
    assert {dict(m.headers())["tenant"].decode() for m in published} == {keys.tenant}
    records, _, _ = driver.execute_query(  # published, not written: the consumer writes
        "MATCH (t:Touchpoint) WHERE t.key STARTS WITH $prefix RETURN count(t) AS n",
        prefix=f"{keys.tenant}|")
    assert records[0]["n"] == 0

