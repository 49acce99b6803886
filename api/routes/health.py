"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from stormops.api.responses import Health, Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="The process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", response_model=Readiness,
            responses={503: {"model": Readiness, "description": "not ready"}},
            summary="Warmed up, Neo4j reachable and the schema applied")
async def readyz(request: Request) -> JSONResponse:
    try:
        ready = request.app.state.ready and await request.app.state.services.schema_applied()
    except Exception:  # noqa: BLE001 - any failure to reach Neo4j means not ready
        ready = False
    return JSONResponse({"status": "ready" if ready else "not ready"},
                        status_code=200 if ready else 503)
