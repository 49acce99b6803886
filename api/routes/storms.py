"""Storms of the tenant: what reports, experiments and the cockpit are about."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from stormops.api.deps import ReaderRole
from stormops.api.responses import AUTH_PROBLEMS, Storm, StormList, problem_responses
from stormops.graph.storms import StormStore

router = APIRouter(prefix="/v1/storms", tags=["storms"],
                   responses=problem_responses(*AUTH_PROBLEMS))


def _storms(request: Request) -> StormStore:
    return request.app.state.services.storms


@router.get("", response_model=StormList,
            summary="The tenant's storms, newest first, with journeys, conversions, revenue, "
                    "impacted properties and experiments")
def list_storms(principal: ReaderRole, request: Request) -> dict[str, Any]:
    return {"storms": _storms(request).list(principal.tenant)}


@router.get("/{storm_id}", response_model=Storm, responses=problem_responses(404),
            summary="One storm with its counts; 404 when it is not in the graph")
def read_storm(storm_id: str, principal: ReaderRole, request: Request) -> dict[str, Any]:
    return _storms(request).get(principal.tenant, storm_id)
