"""Identity profiles, their audit trail, and erasure."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from stormops.api.deps import Admin, Graph, Reader, ReaderRole
from stormops.core.errors import NotFound
from stormops.graph.erasure import Erasure

router = APIRouter(prefix="/v1/identities", tags=["identities"])


@router.get("/{identity_id}", summary="An identity with identifiers, link strengths and evidence")
async def read_identity(identity_id: str, principal: ReaderRole, reader: Reader) -> dict[str, Any]:
    return await reader.get_profile(principal.tenant, identity_id)


@router.get("/{identity_id}/history", summary="The identity's merge/unmerge audit trail")
async def read_history(identity_id: str, principal: ReaderRole, reader: Reader) -> dict[str, Any]:
    events = await reader.history(principal.tenant, identity_id)
    if not events and not await reader.identity_exists(principal.tenant, identity_id):
        raise NotFound(f"identity {identity_id} not found", field="identity_id")
    return {"identity_id": identity_id, "events": events}


@router.delete("/{identity_id}", summary="Erase the person: records, identifiers, journeys, "
                                         "profile; an audit without personal data is kept")
def forget(identity_id: str, principal: Admin, graph: Graph,
                 reason: Annotated[str, Query(min_length=1, max_length=2000,
                                              description="Why, for the audit")]
                 ) -> dict[str, Any]:
    return Erasure(graph.driver, graph.database).forget(principal.tenant, identity_id,
                                                        principal.actor, reason)
