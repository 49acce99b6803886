"""Live attribution of a storm: its dashboard now, and a server-sent-events stream of it.

`GET /v1/live/storms/{storm_id}` answers from the storm's live state in the graph (any worker
can). `GET /v1/live/storms/{storm_id}/stream` is `text/event-stream`: an `event: dashboard`
with the dashboard as JSON at once and then whenever the storm's live state changes (checked
every `interval` seconds), and at least every `refresh` seconds (the consumer's lag moves
without the state changing); a comment line keeps idle connections open.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from stormops.api.deps import ReaderRole
from stormops.api.responses import AUTH_PROBLEMS, LiveDashboard, problem_responses
from stormops.attribution.live import LiveAttribution
from stormops.core.errors import NotFound

router = APIRouter(prefix="/v1/live", tags=["live"],
                   responses=problem_responses(*AUTH_PROBLEMS))

StormId = Annotated[str, Path(min_length=1, max_length=256)]


def live_attribution(request: Request, tenant: str) -> LiveAttribution:
    """The tenant's live attribution over the app's driver (cheap: no I/O)."""
    return request.app.state.services.live(tenant)


@router.get("/storms/{storm_id}", response_model=LiveDashboard,
            responses=problem_responses(404),
            summary="A storm's live attribution: events, conversions, revenue, spend, credit, "
                    "CPA and ROAS per channel, per minute, incremental credit, consumer lag")
def read_dashboard(storm_id: StormId, principal: ReaderRole, request: Request) -> dict[str, Any]:
    return live_attribution(request, principal.tenant).get_live_dashboard(storm_id)


def _message(dashboard: dict[str, Any]) -> str:
    return f"event: dashboard\nid: {dashboard['version']}\ndata: {json.dumps(dashboard)}\n\n"


@router.get("/storms/{storm_id}/stream", response_class=StreamingResponse,
            summary="Server-sent events: the storm's dashboard whenever it changes",
            responses={200: {"content": {"text/event-stream": {}}},
                       **problem_responses(404)})
async def stream_dashboard(
    storm_id: StormId, principal: ReaderRole, request: Request,
    interval: Annotated[float, Query(ge=0.2, le=10, description="seconds between checks")] = 1.0,
    refresh: Annotated[float, Query(ge=1, le=300, description="send at least this often "
                                                               "(seconds)")] = 5.0,
) -> StreamingResponse:
    live = live_attribution(request, principal.tenant)
    first = await run_in_threadpool(live.get_live_dashboard, storm_id)  # 404 before streaming

    async def events() -> AsyncIterator[str]:
        yield "retry: 2000\n\n" + _message(first)
        version, sent = first["version"], time.monotonic()
        while not await request.is_disconnected():
            await asyncio.sleep(interval)
            now = await run_in_threadpool(live.store.storm_version, principal.tenant,
                                          storm_id)
            if now != version or time.monotonic() - sent >= refresh:
                try:
                    dashboard = await run_in_threadpool(live.get_live_dashboard, storm_id)
                except NotFound:
                    yield ": the storm's live state was reset\n\n"
                    continue
                version, sent = dashboard["version"], time.monotonic()
                yield _message(dashboard)

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
