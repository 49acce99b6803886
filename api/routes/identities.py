"""Identity profiles and their audit trail."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from stormops.api.deps import Reader, Service
from stormops.core.errors import NotFound

router = APIRouter(prefix="/v1/identities", tags=["identities"])


@router.get("/{identity_id}", summary="An identity with identifiers, link strengths and evidence")
async def read_identity(identity_id: str, principal: Service, reader: Reader) -> dict[str, Any]:
    return await reader.get_profile(principal.tenant, identity_id)


@router.get("/{identity_id}/history", summary="The identity's merge/unmerge audit trail")
async def read_history(identity_id: str, principal: Service, reader: Reader) -> dict[str, Any]:
    events = await reader.history(principal.tenant, identity_id)
    if not events and not await reader.identity_exists(principal.tenant, identity_id):
        raise NotFound(f"identity {identity_id} not found", field="identity_id")
    return {"identity_id": identity_id, "events": events}
