"""The mix model over HTTP: an admin fits in the background, every role reads ROI, curves and
the optimizer; bad input is problem+json naming the field; tenants see only their own."""

from __future__ import annotations

import shutil
import time

import httpx
from neo4j import Driver

from stormops.core.settings import Settings
from stormops.graph.api_keys import create_api_key
from stormops.mmm import MixStore
from tests.api.conftest import TenantKeys
from tests.mmm.test_graph import load_sample


def h(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def _problem(response: httpx.Response, status: int, field: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["field"] == field


def test_fit_roi_and_optimize_over_http(client: httpx.Client, keys: TenantKeys,
                                        other_keys: TenantKeys, driver: Driver,
                                        settings: Settings) -> None:
    db = settings.neo4j_database
    admin = h(create_api_key(driver, db, keys.tenant, "admin"))
    reader = h(create_api_key(driver, db, keys.tenant, "reader"))
    sample = load_sample(driver, settings, keys.tenant, weeks=30, channels=2)
    try:
        assert client.get("/v1/mmm/roi", headers=reader).status_code == 409  # no fit yet
        assert client.post("/v1/mmm/fits", headers=h(keys.reviewer), json={}).status_code == 403
        lift = {**sample.lift_tests[0], "channel": "sms"}
        _problem(client.post("/v1/mmm/fits", headers=admin, json={"lift_tests": [lift]}),
                 422, "lift_tests.0.channel")
        _problem(client.post("/v1/mmm/fits", headers=admin, json={"months": 0}), 422, "months")
        _problem(client.post("/v1/mmm/fits", headers=admin, json={"months": 3}), 422, "weeks")
        _problem(client.post("/v1/mmm/fits", headers=admin, json={"channels": ["email"]}),
                 422, "channels")

        job = client.post("/v1/mmm/fits", headers=admin, json={
            "draws": 100, "tune": 100, "chains": 2, "lift_tests": sample.lift_tests[:1]})
        assert job.status_code == 202, job.text
        job_id = job.json()["job_id"]
        assert job.json()["status"] in ("queued", "running")
        deadline = time.monotonic() + 600
        while (status := client.get(f"/v1/mmm/fits/{job_id}", headers=reader).json())[
                "status"] in ("queued", "running"):
            assert time.monotonic() < deadline, status
            time.sleep(1)
        assert status["status"] == "done", status
        assert client.get(f"/v1/mmm/fits/{job_id}",
                          headers=h(other_keys.service)).status_code == 404

        [model] = client.get("/v1/mmm/models", headers=reader).json()
        assert model["version"] == status["version"] and model["window"]["weeks"] == 30
        assert {"r_hat_max", "ess_bulk_min", "divergences"} <= set(model["diagnostics"])

        roi = client.get("/v1/mmm/roi", headers=reader, params={"points": 5}).json()
        assert set(roi["channels"]) == {"call_center", "door_knock"}
        for channel in roi["channels"].values():
            assert channel["roi"]["low"] <= channel["roi"]["mean"] <= channel["roi"]["high"]
        assert len(roi["curves"]["door_knock"]["spend"]) == 5

        predicted = client.post("/v1/mmm/roi", headers=reader,
                                json={"allocation": {"door_knock": 20_000}}).json()
        assert predicted["channels"]["call_center"]["spend"] == 0
        assert predicted["channels"]["door_knock"]["revenue"]["mean"] > 0
        _problem(client.post("/v1/mmm/roi", headers=reader, json={"allocation": {"tv": 5}}),
                 422, "allocation.tv")

        total = 30_000.0
        best = client.post("/v1/mmm/optimize", headers=reader, json={
            "total": total, "bounds": {"door_knock": [5_000, 12_000]}}).json()
        assert abs(sum(best["allocation"].values()) - total) < 0.01
        assert 5_000 - 1e-6 <= best["allocation"]["door_knock"] <= 12_000 + 1e-6
        assert abs(sum(best["current"].values()) - total) < 0.01
        assert best["risk"] == 2.0  # the default: revenue less two posterior sds
        neutral = client.post("/v1/mmm/optimize", headers=reader, json={
            "total": total, "bounds": {"door_knock": [5_000, 12_000]}, "risk": 0}).json()
        assert neutral["risk"] == 0 and abs(sum(neutral["allocation"].values()) - total) < 0.01
        # expected revenue is what the risk-neutral split maximizes
        assert neutral["expected_revenue"]["mean"] >= best["expected_revenue"]["mean"] - 1e-6
        assert neutral["expected_revenue"]["mean"] >= neutral["current_revenue"]["mean"] - 1e-6
        _problem(client.post("/v1/mmm/optimize", headers=reader, json={
            "total": total, "risk": -1}), 422, "risk")
        _problem(client.post("/v1/mmm/optimize", headers=reader, json={"total": 0}),
                 422, "total")
        _problem(client.post("/v1/mmm/optimize", headers=reader, json={
            "total": 100, "bounds": {"door_knock": [500, 600]}}), 422, "bounds")
        assert client.get("/v1/mmm/roi", headers=h(other_keys.service)).status_code == 409
    finally:
        shutil.rmtree(MixStore(settings.model_dir).folder(keys.tenant), ignore_errors=True)
