"""Who the caller is: the tenant and role its key maps to (the console's sign-in)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from stormops.api.deps import ReaderRole
from stormops.api.responses import AUTH_PROBLEMS, problem_responses
from stormops.graph.api_keys import ROLES

router = APIRouter(prefix="/v1/me", tags=["keys"],
                   responses=problem_responses(*AUTH_PROBLEMS))


class MeOut(BaseModel):
    """The calling key: its tenant, its role, the roles that role includes, and how the audit
    trail names it."""

    tenant: str
    role: str
    roles: list[str]
    key_id: str
    actor: str


@router.get("", response_model=MeOut, summary="The calling key's tenant and role")
async def me(principal: ReaderRole) -> MeOut:
    held = [name for name in ROLES if principal.may(name)]
    return MeOut(tenant=principal.tenant, role=principal.role, roles=held,
                 key_id=principal.key_id, actor=principal.actor)
