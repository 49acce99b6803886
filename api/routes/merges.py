"""Manual merges and their undo, for reviewers; the tenant's merge log for every role."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from stormops.api.deps import Graph, Reader, ReaderRole, Reviewer
from stormops.api.responses import AUTH_PROBLEMS, problem_responses
from stormops.api.schemas import EventOut, MergeIn, MergeLog, UndoIn
from stormops.core.errors import InvalidInput
from stormops.graph.review import LogFilter

router = APIRouter(prefix="/v1/merges", tags=["merges"],
                   responses=problem_responses(*AUTH_PROBLEMS))


@router.get("", response_model=MergeLog, summary="The tenant's merges and unmerges, newest "
                                                 "first")
async def merge_log(
    principal: ReaderRole, reader: Reader,
    actor: Annotated[str | None, Query(min_length=1, max_length=256)] = None,
    kind: Literal["merge", "auto_merge", "unmerge"] | None = None,
    since: Annotated[datetime | None, Query(description="at or after (ISO 8601)")] = None,
    until: Annotated[datetime | None, Query(description="before (ISO 8601)")] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> MergeLog:
    where = LogFilter(actor, kind, _utc(since, "since"), _utc(until, "until"))
    events = await reader.merge_log(principal.tenant, where, offset, limit + 1)
    more = len(events) > limit
    return MergeLog(events=events[:limit], next_offset=offset + limit if more else None)


def _utc(moment: datetime | None, field: str) -> datetime | None:
    """The time in UTC (events are stored in UTC; a time without a zone is read as UTC), so
    any offset ISO 8601 allows reaches the graph as one it can compare."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise InvalidInput(f"{field}: {moment.isoformat()} is out of range in UTC",
                           field=field) from None


@router.post("", response_model=EventOut, status_code=201,
             responses=problem_responses(404, 409), summary="Merge two identities")
def merge(body: MergeIn, principal: Reviewer, graph: Graph) -> EventOut:
    event_id = graph.merge_identities(principal.tenant, body.into, body.other, principal.actor,
                                      body.reason, override_cannot_link=body.override_cannot_link)
    return EventOut(event_id=event_id)


@router.post("/{event_id}/undo", response_model=EventOut, status_code=201,
             responses=problem_responses(404, 409),
             summary="Undo a merge, restoring exactly what it moved")
def undo(event_id: str, body: UndoIn, principal: Reviewer, graph: Graph) -> EventOut:
    new_id = graph.unmerge(principal.tenant, event_id, principal.actor, body.reason)
    return EventOut(event_id=new_id)
