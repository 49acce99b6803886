"""Storms of the tenant: what reports, experiments and the cockpit are about."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from stormops.api.deps import ReaderRole
from stormops.graph.storms import StormStore

router = APIRouter(prefix="/v1/storms", tags=["storms"])


def _storms(request: Request) -> StormStore:
    return request.app.state.services.storms


@router.get("", summary="The tenant's storms, newest first, with journeys, conversions, "
                        "revenue, impacted properties and experiments")
async def list_storms(principal: ReaderRole, request: Request) -> dict[str, Any]:
    return {"storms": await run_in_threadpool(_storms(request).list, principal.tenant)}


@router.get("/{storm_id}", summary="One storm with its counts; 404 when it is not in the graph")
async def read_storm(storm_id: str, principal: ReaderRole, request: Request) -> dict[str, Any]:
    return await run_in_threadpool(_storms(request).get, principal.tenant, storm_id)
