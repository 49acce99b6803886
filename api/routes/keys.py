"""The tenant's API keys, for administrators: list them, revoke one."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from stormops.api.deps import Admin, App, key_cache
from stormops.api.responses import AUTH_PROBLEMS, problem_responses

router = APIRouter(prefix="/v1/keys", tags=["keys"],
                   responses=problem_responses(*AUTH_PROBLEMS))


class KeyOut(BaseModel):
    """A key as an administrator sees it: never its secret or hash."""

    key_id: str
    role: str
    label: str | None = None
    created_at: datetime
    revoked_at: datetime | None = None


class KeyList(BaseModel):
    keys: list[KeyOut]


@router.get("", response_model=KeyList, summary="The tenant's API keys, oldest first")
def read_keys(principal: Admin, services: App) -> KeyList:
    keys = services.keys(principal.tenant)
    return KeyList(keys=[KeyOut(**key) for key in keys])


@router.delete("/{key_id}", response_model=KeyOut,
               responses=problem_responses(404),
               summary="Revoke a key: refused by every worker within seconds")
def revoke_key(key_id: str, principal: Admin, services: App) -> KeyOut:
    key = services.revoke_key(principal.tenant, key_id)
    key_cache.drop(key_id)
    return KeyOut(**key)
