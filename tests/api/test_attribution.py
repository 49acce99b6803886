"""/v1/attribution: config per tenant, runs, stored results and comparisons over HTTP."""

from __future__ import annotations

import pytest

from tests.attribution.storm_fixture import STORM, load_storm


def _h(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def test_configs_of_two_tenants_are_isolated(client, keys, other_keys) -> None:
    got = client.get("/v1/attribution/config", headers=_h(keys.service))
    assert got.status_code == 200
    assert got.json()["stored"] is False
    assert got.json()["config"]["default_method"] == "markov"
    put = client.put("/v1/attribution/config", headers=_h(keys.admin),
                     json={"default_method": "linear", "half_life_days": 3,
                           "hybrid_weights": {"shapley": 0.25, "linear": 0.75}})
    assert put.status_code == 200, put.text
    client.put("/v1/attribution/config", headers=_h(other_keys.admin),
               json={"methods": ["first_touch", "last_touch"], "default_method": "last_touch"})
    mine = client.get("/v1/attribution/config", headers=_h(keys.service)).json()
    theirs = client.get("/v1/attribution/config", headers=_h(other_keys.service)).json()
    assert mine["stored"] and theirs["stored"]
    assert (mine["config"]["default_method"], mine["config"]["half_life_days"]) == ("linear", 3)
    assert mine["config"]["hybrid_weights"] == {"shapley": 0.25, "linear": 0.75}
    assert theirs["config"]["methods"] == ["first_touch", "last_touch"]
    assert theirs["config"]["half_life_days"] == 7


@pytest.mark.parametrize(("body", "field"), [
    ({"hybrid_weights": {"markov": 0.5, "linear": 0.6}}, "hybrid_weights"),
    ({"hybrid_weights": {"magic": 1.0}}, "hybrid_weights.magic"),
    ({"methods": ["linear", "voodoo"]}, "methods.1"),
    ({"methods": ["linear"], "default_method": "markov"}, "default_method"),
    ({"half_life_days": 0}, "half_life_days"),
    ({"position_weights": {"first": 0.7, "last": 0.7}}, "position_weights"),
    ({"markov_order": 3}, "markov_order"),
    ({"lookback_days": -1}, "lookback_days"),
    ({"halflife": 3}, "halflife"),
])
def test_bad_config_is_a_422_naming_the_field(client, keys, body, field) -> None:
    response = client.put("/v1/attribution/config", headers=_h(keys.admin), json=body)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert field in response.json()["detail"]
    assert client.get("/v1/attribution/config", headers=_h(keys.service)).json()["stored"] is False


def test_config_needs_an_admin_to_change(client, keys) -> None:
    for key in (keys.service, keys.reviewer):
        response = client.put("/v1/attribution/config", headers=_h(key), json={})
        assert response.status_code == 403


def test_run_read_compare_and_rerun(client, keys, other_keys, driver, settings) -> None:
    load_storm(driver, settings.neo4j_database, keys.tenant)
    url = f"/v1/attribution/storms/{STORM}"
    assert client.get(url, headers=_h(keys.service)).status_code == 404  # not run yet
    run = client.post(url, headers=_h(keys.service), json={"methods": ["linear", "markov"]})
    assert run.status_code == 200, run.text
    assert run.json()["methods"]["markov"]["channels"] == pytest.approx(
        {"door_knock": 725.0, "email": 75.0, "sms": 1000.0})
    again = client.post(url, headers=_h(keys.service), json={"methods": ["linear", "markov"]})
    assert again.json()["methods"]["linear"]["deleted"] == 0

    stored = client.get(url, headers=_h(keys.service), params={"method": "linear"}).json()
    assert stored["channels"] == pytest.approx({"door_knock": 700.0, "email": 100.0,
                                               "sms": 1000.0})
    assert len(stored["results"]) == 3  # replaced, not duplicated
    for row in stored["results"]:
        assert sum(row["credits"].values()) == pytest.approx(row["value"])
    default = client.get(url, headers=_h(keys.service)).json()
    assert default["method"] == "markov"

    compare = client.get(f"{url}/compare", headers=_h(keys.service)).json()
    assert set(compare["methods"]) == {"linear", "markov"}
    assert {r["channel"] for r in compare["table"]} == {"door_knock", "email", "sms"}

    journey_id = stored["results"][0]["journey_id"]
    one = client.get(f"/v1/attribution/journeys/{journey_id}", headers=_h(keys.service),
                     params={"method": "linear"})
    assert one.status_code == 200
    assert one.json()["credits"] == pytest.approx(stored["results"][0]["credits"])

    # Another tenant sees none of it.
    assert client.get(url, headers=_h(other_keys.service)).status_code == 404
    assert client.get(f"{url}/compare", headers=_h(other_keys.service)).status_code == 404
    assert client.post(url, headers=_h(other_keys.service)).status_code == 404
    assert client.get(f"/v1/attribution/journeys/{journey_id}",
                      headers=_h(other_keys.service)).status_code == 404


def test_run_errors(client, keys, driver, settings) -> None:
    load_storm(driver, settings.neo4j_database, keys.tenant)
    url = f"/v1/attribution/storms/{STORM}"
    bad = client.post(url, headers=_h(keys.service), json={"methods": ["voodoo"]})
    assert (bad.status_code, bad.json()["field"]) == (422, "method")
    bad = client.get(url, headers=_h(keys.service), params={"method": "voodoo"})
    assert (bad.status_code, bad.json()["field"]) == (422, "method")
    assert client.get(url, headers=_h(keys.service), params={"limit": -1}).status_code == 422
    assert client.post(url).status_code == 401
