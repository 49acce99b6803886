"""The review queue: merge candidates with their evidence, approved or rejected by reviewers."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from stormops.api.deps import Graph, Linker, Reader, ReaderRole, Reviewer
from stormops.api.responses import AUTH_PROBLEMS, problem_responses
from stormops.api.schemas import DecisionIn, DecisionOut, ReviewItemOut, ReviewPage
from stormops.core.reasons import REVIEW_REASONS
from stormops.graph.review import QueueFilter
from stormops.matching.explain import explain_pair
from stormops.matching.store import ModelStore

router = APIRouter(prefix="/v1/review", tags=["review"],
                   responses=problem_responses(*AUTH_PROBLEMS))
Probability = Annotated[float | None, Query(ge=0.0, le=1.0)]


@router.get("", response_model=ReviewPage, summary="Review items, oldest first")
async def queue(
    principal: ReaderRole, reader: Reader,
    status: Literal["open", "approved", "rejected"] = "open",
    reason: Annotated[str | None, Query(max_length=64, description="a reason code")] = None,
    identity_id: Annotated[str | None, Query(min_length=1, max_length=256)] = None,
    min_probability: Probability = None,
    max_probability: Probability = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ReviewPage:
    where = QueueFilter(status, reason, identity_id, min_probability, max_probability)
    items, total = await reader.review_queue(principal.tenant, where, offset, limit)
    more = offset + len(items) < total
    return ReviewPage(items=items, next_offset=offset + limit if more else None, total=total)


@router.get("/reasons", response_model=dict[str, str],
            summary="Reason codes and the sentence for each")
async def reasons(principal: ReaderRole) -> dict[str, str]:
    return REVIEW_REASONS


def _waterfall(models: ModelStore, tenant: str, records: list[dict]) -> dict:
    model, _ = models.load_or_prior(tenant)
    found = explain_pair(model, records[0], records[1])
    return {"steps": found.rows(), "match_weight": found.match_weight,
            "match_probability": found.match_probability, "model_version": found.model_version}


async def _review_item(item_id: str, principal: ReaderRole, reader: Reader
                       ) -> tuple[dict, list[dict]]:
    """The item and its pair's stored records, read through the async reader."""
    return await reader.review_item(principal.tenant, item_id)


@router.get("/{item_id}", response_model=ReviewItemOut, responses=problem_responses(404),
            summary="One review item: both sides, evidence, match-weight waterfall")
def read_item(principal: ReaderRole, linker: Linker,
              found: Annotated[tuple[dict, list[dict]], Depends(_review_item)]
              ) -> ReviewItemOut:
    item, records = found
    if len(records) == 2:
        waterfall = _waterfall(linker.models, principal.tenant, records)
        return ReviewItemOut(**item, waterfall=waterfall)
    note = ("the item names no scored pair of records: " + item["reason_text"]
            if len(item["record_ids"]) < 2 else "a record of the pair is no longer stored")
    return ReviewItemOut(**item, waterfall=None, waterfall_note=note)


@router.post("/{item_id}", response_model=DecisionOut, responses=problem_responses(404, 409),
             summary="Approve (merge) or reject (remember as different people)")
def decide(item_id: str, body: DecisionIn, principal: Reviewer, graph: Graph) -> DecisionOut:
    result = graph.decide_review(principal.tenant, item_id, body.decision, principal.actor,
                                 body.reason)
    return DecisionOut(**result)
