"""Identity profiles, their audit trail, and erasure."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from stormops.api.deps import Admin, App, Reader, ReaderRole
from stormops.api.responses import (
    AUTH_PROBLEMS,
    Erased,
    HistoryOut,
    IdentityOut,
    Neighbourhood,
    SearchOut,
    problem_responses,
)
from stormops.core.errors import NotFound

router = APIRouter(prefix="/v1/identities", tags=["identities"],
                   responses=problem_responses(*AUTH_PROBLEMS))


@router.get("/search", response_model=SearchOut,
            summary="Find the identity any identifier names (email, phone, device, national "
                    "id, property id or identity id; a merged id: its survivor)")
async def search(principal: ReaderRole, reader: Reader,
                 q: Annotated[str, Query(min_length=1, max_length=256,
                                         description="the identifier's value")],
                 type: Annotated[str | None, Query(max_length=32, description="its type; "
                                                   "default: every type it could be")] = None
                 ) -> dict[str, Any]:
    found = await reader.resolve_identity(principal.tenant, q, type)
    return {"query": q, "type": type, "identity_id": found,
            "matches": [{"identity_id": found}] if found else []}


@router.get("/{identity_id}/neighbourhood", response_model=Neighbourhood,
            responses=problem_responses(404),
            summary="The identity's identifiers (link strength), properties with their other "
                    "residents, and the identities merged into it: a small graph")
async def read_neighbourhood(identity_id: str, principal: ReaderRole,
                             reader: Reader) -> dict[str, Any]:
    return await reader.neighbourhood(principal.tenant, identity_id)


@router.get("/{identity_id}", response_model=IdentityOut, responses=problem_responses(404),
            summary="An identity with identifiers, link strengths and evidence")
async def read_identity(identity_id: str, principal: ReaderRole, reader: Reader) -> dict[str, Any]:
    return await reader.get_profile(principal.tenant, identity_id)


@router.get("/{identity_id}/history", response_model=HistoryOut,
            responses=problem_responses(404), summary="The identity's merge/unmerge audit trail")
async def read_history(identity_id: str, principal: ReaderRole, reader: Reader) -> dict[str, Any]:
    events = await reader.history(principal.tenant, identity_id)
    if not events and not await reader.identity_exists(principal.tenant, identity_id):
        raise NotFound(f"identity {identity_id} not found", field="identity_id")
    return {"identity_id": identity_id, "events": events}


@router.delete("/{identity_id}", response_model=Erased, responses=problem_responses(404),
               summary="Erase the person: records, identifiers, journeys, "
                                         "profile; an audit without personal data is kept")
def forget(identity_id: str, principal: Admin, services: App,
                 reason: Annotated[str, Query(min_length=1, max_length=2000,
                                              description="Why, for the audit")]
                 ) -> dict[str, Any]:
    return services.erasure.forget(principal.tenant, identity_id, principal.actor, reason)
