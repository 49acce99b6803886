"""Shared wiring of the routes: the services (from the composition root the app made at
start), and who is calling."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from starlette.exceptions import HTTPException

from stormops.api.observability import tenant_var
from stormops.graph import IdentityGraph
from stormops.graph.aio import AsyncIdentityReader
from stormops.graph.api_keys import Principal
from stormops.matching.ingest import RecordLinker
from stormops.services import Services

KEY_CACHE_SECONDS = 2.0  # a revoked key stops working within this long, in every worker
_api_key = APIKeyHeader(name="X-API-Key", auto_error=False,
                        description="API key; it decides the tenant and role of the request")


class _KeyCache:
    """Recently verified keys, so a hot path does not re-read the key node every request."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[Principal, float]] = {}

    def get(self, key: str) -> Principal | None:
        hit = self._entries.get(key)
        if hit is None or hit[1] < time.monotonic():
            return None
        return hit[0]

    def drop(self, key_id: str) -> None:
        """Forget a revoked key at once in this worker (others within KEY_CACHE_SECONDS)."""
        for key, (principal, _) in list(self._entries.items()):
            if principal.key_id == key_id:
                self._entries.pop(key, None)

    def put(self, key: str, principal: Principal) -> None:
        if len(self._entries) > 10_000:
            self._entries.clear()
        self._entries[key] = (principal, time.monotonic() + KEY_CACHE_SECONDS)


key_cache = _KeyCache()


async def get_services(request: Request) -> Services:
    return request.app.state.services


async def get_reader(request: Request) -> AsyncIdentityReader:
    return request.app.state.services.reader


async def get_graph(request: Request) -> IdentityGraph:
    return request.app.state.services.identities


async def get_linker(request: Request) -> RecordLinker:
    return request.app.state.services.linker


async def get_principal(
    request: Request, key: Annotated[str | None, Security(_api_key)]
) -> Principal:
    if not key:
        raise HTTPException(401, "missing X-API-Key header", headers={"WWW-Authenticate": "ApiKey"})
    principal = key_cache.get(key)
    if principal is None:
        principal = await request.app.state.services.principal(key)
        if principal is None:
            raise HTTPException(401, "unknown API key", headers={"WWW-Authenticate": "ApiKey"})
        key_cache.put(key, principal)
    tenant_var.set(principal.tenant)
    return principal


def role(required: str):
    """A dependency that lets through principals whose role includes `required`."""

    async def check(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        if not principal.may(required):
            raise HTTPException(403, f"this key's role ({principal.role}) may not do this; "
                                     f"it needs {required}")
        return principal

    return check


App = Annotated[Services, Depends(get_services)]
Reader = Annotated[AsyncIdentityReader, Depends(get_reader)]
Graph = Annotated[IdentityGraph, Depends(get_graph)]
Linker = Annotated[RecordLinker, Depends(get_linker)]
ReaderRole = Annotated[Principal, Depends(role("reader"))]
Service = Annotated[Principal, Depends(role("service"))]
Reviewer = Annotated[Principal, Depends(role("reviewer"))]
Admin = Annotated[Principal, Depends(role("admin"))]
