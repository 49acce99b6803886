"""The review queue: merge candidates with their evidence, approved or rejected by reviewers."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from stormops.api.deps import Graph, Reader, ReaderRole, Reviewer
from stormops.api.schemas import DecisionIn, DecisionOut, ReviewPage

router = APIRouter(prefix="/v1/review", tags=["review"])


@router.get("", response_model=ReviewPage, summary="Review items, oldest first")
async def queue(
    principal: ReaderRole, reader: Reader,
    status: Literal["open", "approved", "rejected"] = "open",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ReviewPage:
    items = await reader.review_queue(principal.tenant, status, offset, limit + 1)
    more = len(items) > limit
    return ReviewPage(items=items[:limit], next_offset=offset + limit if more else None)


@router.post("/{item_id}", response_model=DecisionOut,
             summary="Approve (merge) or reject (remember as different people)")
def decide(item_id: str, body: DecisionIn, principal: Reviewer, graph: Graph) -> DecisionOut:
    result = graph.decide_review(principal.tenant, item_id, body.decision, principal.actor,
                                 body.reason)
    return DecisionOut(**result)
