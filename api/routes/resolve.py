"""Resolving identifiers to identities."""

from __future__ import annotations

from fastapi import APIRouter

from stormops.api.deps import Reader, ReaderRole
from stormops.api.responses import AUTH_PROBLEMS, problem_responses
from stormops.api.schemas import Resolved, ResolvedBatch, ResolveIn

router = APIRouter(prefix="/v1", tags=["resolve"],
                   responses=problem_responses(*AUTH_PROBLEMS))


@router.post("/resolve", response_model=Resolved | ResolvedBatch,
             summary="Resolve one identifier, or a batch of up to 1,000")
async def resolve(body: ResolveIn, principal: ReaderRole,
                  reader: Reader) -> Resolved | ResolvedBatch:
    if body.identifiers is None:
        found = await reader.resolve_identity(principal.tenant, body.value, body.type)
        return Resolved(type=body.type, value=body.value, identity_id=found)
    items = [(i.type, i.value) for i in body.identifiers]
    answers, errors = await reader.resolve_many(principal.tenant, items)
    return ResolvedBatch(results=[
        Resolved(type=t, value=v, identity_id=answer,
                 error=errors[pos].message if pos in errors else None)
        for pos, ((t, v), answer) in enumerate(zip(items, answers, strict=True))
    ])
