"""Linking a record (a person, or a property with identifiers) to an identity."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from stormops.api.deps import Graph, Linker, Service
from stormops.api.schemas import RecordIn, RecordLinked
from stormops.core.errors import ModelNotTrained
from stormops.graph import IDENTITY_FIELDS

router = APIRouter(prefix="/v1", tags=["records"])


@router.post("/records", response_model=RecordLinked, status_code=200,
             summary="Link a record in the canonical columns to an identity")
async def link_record(body: RecordIn, principal: Service, graph: Graph,
                      linker: Linker) -> RecordLinked:
    """With a matching model for the tenant, the record is matched probabilistically (online
    `link_record`); otherwise its identifiers are linked deterministically."""
    fields = body.model_dump(exclude_none=True)
    try:
        linked = await run_in_threadpool(linker.link_record, principal.tenant, fields,
                                         strict=True)
        return RecordLinked(identity_id=linked.identity_id, outcome=linked.outcome,
                            record_id=linked.record_id, merged=list(linked.merged))
    except ModelNotTrained:
        pass
    identifiers = {k: v for k, v in fields.items() if k in IDENTITY_FIELDS and k != "property_id"}
    outcome = await run_in_threadpool(graph.link, principal.tenant, fields.get("property_id"),
                                      identifiers)
    return RecordLinked(identity_id=outcome.identity_id, outcome=outcome.outcome)
