"""Linking a record (a person, or a property with identifiers) to an identity."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from api.deps import Graph, Service
from api.schemas import RecordIn, RecordLinked
from graph import IDENTITY_FIELDS

router = APIRouter(prefix="/v1", tags=["records"])


@router.post("/records", response_model=RecordLinked, status_code=200,
             summary="Link a record in the canonical columns to an identity")
async def link_record(body: RecordIn, principal: Service, graph: Graph) -> RecordLinked:
    fields = body.model_dump(exclude_none=True)
    identifiers = {k: v for k, v in fields.items() if k in IDENTITY_FIELDS and k != "property_id"}
    outcome = await run_in_threadpool(graph.link, principal.tenant, fields.get("property_id"),
                                      identifiers)
    return RecordLinked(identity_id=outcome.identity_id, outcome=outcome.outcome)
