"""Manual merges and their undo, for reviewers."""

from __future__ import annotations

from fastapi import APIRouter

from stormops.api.deps import Graph, Reviewer
from stormops.api.schemas import EventOut, MergeIn, UndoIn

router = APIRouter(prefix="/v1/merges", tags=["merges"])


@router.post("", response_model=EventOut, status_code=201, summary="Merge two identities")
def merge(body: MergeIn, principal: Reviewer, graph: Graph) -> EventOut:
    event_id = graph.merge_identities(principal.tenant, body.into, body.other,
                                      principal.actor, body.reason)
    return EventOut(event_id=event_id)


@router.post("/{event_id}/undo", response_model=EventOut, status_code=201,
             summary="Undo a merge, restoring exactly what it moved")
def undo(event_id: str, body: UndoIn, principal: Reviewer, graph: Graph) -> EventOut:
    new_id = graph.unmerge(principal.tenant, event_id, principal.actor, body.reason)
    return EventOut(event_id=new_id)
