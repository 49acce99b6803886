"""Linking a record to an identity, under the validation policy."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from stormops.api.deps import Linker, Service
from stormops.api.responses import AUTH_PROBLEMS, problem_responses
from stormops.api.schemas import ProblemOut, RecordIn, RecordLinked

router = APIRouter(prefix="/v1", tags=["records"],
                   responses=problem_responses(*AUTH_PROBLEMS))


@router.post("/records", response_model=RecordLinked, status_code=200,
             summary="Link a record to an identity")
def link_record(
    body: RecordIn, principal: Service, linker: Linker,
    invalid: Annotated[Literal["null", "reject"] | None, Query(
        description="What a bad value does: null links the record without it (reported in "
                    "`problems`, its text kept in extra), reject refuses the record (422 "
                    "naming every bad field). Default: the service's setting.")] = None,
) -> RecordLinked:
    """The record is stored (unknown fields in `extra`) and matched with the tenant's model;
    a tenant without one links exactly and queues close pairs for review."""
    linked = linker.link_record(principal.tenant, body.model_dump(exclude_none=True),
                                policy=invalid)
    return RecordLinked(identity_id=linked.identity_id, outcome=linked.outcome,
                        record_id=linked.record_id, merged=list(linked.merged),
                        problems=[ProblemOut(field=p.field, message=p.message)
                                  for p in linked.problems],
                        policy=linked.policy, extra=list(linked.extra),
                        model_version=linked.model_version)
