"""Behavioral profiles, journeys, targeting by lifetime value/segment/storm, and the tenant's
channels and segment rules."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from stormops.api.deps import Admin, ReaderRole
from stormops.api.responses import (
    AUTH_PROBLEMS,
    IdentityProfile,
    JourneysOut,
    ProfileConfigOut,
    ProfilePage,
    problem_responses,
)
from stormops.api.schemas import Strict
from stormops.core.targeting import TargetQuery
from stormops.graph.profiles import AsyncProfileReader, BehavioralProfileService

router = APIRouter(prefix="/v1", tags=["profiles"],
                   responses=problem_responses(*AUTH_PROBLEMS))


async def get_profiles(request: Request) -> AsyncProfileReader:
    return request.app.state.services.profile_reader


async def get_service(request: Request) -> BehavioralProfileService:
    return request.app.state.services.profiles


Profiles = Annotated[AsyncProfileReader, Depends(get_profiles)]
ProfileService = Annotated[BehavioralProfileService, Depends(get_service)]


@router.get("/identities", response_model=ProfilePage,
            summary="Target identities: lifetime value at least min_ltv, optionally in a "
                    "segment and a storm; highest value first")
async def target(
    principal: ReaderRole, profiles: Profiles,
    min_ltv: Annotated[float, Query(ge=0, le=1e12)] = 0.0,
    segment: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    storm_id: Annotated[str | None, Query(min_length=1, max_length=256)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    cursor: Annotated[str | None, Query(min_length=1, max_length=512,
                                        description="next_cursor of the previous page")] = None,
) -> dict[str, Any]:
    query = TargetQuery(min_ltv=min_ltv, segment=segment, storm_id=storm_id, limit=limit,
                        cursor=cursor)
    return await profiles.target(principal.tenant, query)


@router.get("/identities/{identity_id}/profile", response_model=IdentityProfile,
            responses=problem_responses(404),
            summary="An identity's behavioral profile (a merged id: its survivor's)")
async def read_profile(identity_id: str, principal: ReaderRole,
                       profiles: Profiles) -> dict[str, Any]:
    return await profiles.get_profile(principal.tenant, identity_id)


@router.get("/identities/{identity_id}/journeys", response_model=JourneysOut,
            responses=problem_responses(404),
            summary="An identity's journeys, one per storm, with their events in order")
async def read_journeys(identity_id: str, principal: ReaderRole,
                        profiles: Profiles) -> dict[str, Any]:
    return await profiles.journeys(principal.tenant, identity_id)


class ConfigIn(Strict):
    """Either or both; segment rules are [{name, min_ltv?, max_ltv?, min_conversions?,
    max_conversions?, min_storms?, max_storms?, min_inactive_days?}], first match wins."""

    channels: list[str] | None = None
    segment_rules: list[dict[str, Any]] | None = None


@router.get("/profiles/config", response_model=ProfileConfigOut,
            summary="The tenant's event channels and segment rules")
def read_config(principal: ReaderRole, service: ProfileService) -> dict[str, Any]:
    return service.config(principal.tenant).as_dict()


@router.put("/profiles/config", response_model=ProfileConfigOut,
            summary="Set the tenant's channels and/or segment rules (admin); profiles are "
                    "re-segmented")
def write_config(body: ConfigIn, principal: Admin, service: ProfileService) -> dict[str, Any]:
    return service.set_config(principal.tenant, body.channels, body.segment_rules).as_dict()
