"""Journey events: one or a batch, each resolved to an identity and its profile updated; storms.

Where the deployment sets STORMOPS_EVENTS_VIA_KAFKA, events are validated here and published
to the events topic instead (answered 202); `stormops live run` writes them.

`POST /v1/events` takes one event object, or `{"events": [...]}` (at most 1,000). A batch is
all or nothing: the first bad event is refused as 422 naming `events.{position}.{field}` and
nothing is written. A known event id is answered as a duplicate and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import (
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    TypeAdapter,
    ValidationError,
)
from starlette.exceptions import HTTPException

from stormops.api.deps import Service
from stormops.api.responses import (
    AUTH_PROBLEMS,
    EventBatchRecorded,
    EventRecorded,
    EventsPublished,
    StormsWritten,
    problem_responses,
)
from stormops.api.routes.live import live_attribution
from stormops.api.schemas import MAX_BATCH, Strict, Value
from stormops.attribution.live import LiveAttribution
from stormops.core.errors import InvalidInput
from stormops.core.events import EVENT_BOUNDS, parse_event
from stormops.graph.journeys import JourneyGraph
from stormops.services import Services

router = APIRouter(prefix="/v1", tags=["events"],
                   responses=problem_responses(*AUTH_PROBLEMS))


def _bounded(name: str) -> Any:
    """A number within the event bounds of `name` (core.events)."""
    low, high = EVENT_BOUNDS[name]
    return Annotated[float, Field(ge=low, le=high)]


Cost = _bounded("cost")
Money = _bounded("revenue")
Sii = _bounded("sii")
Uplift = _bounded("uplift")


class IdentifiersIn(Strict):
    """Who the event is about: any identifiers, as on a record."""

    property_id: Value | None = None
    email: Value | None = None
    phone: Value | None = None
    device_id: Value | None = None
    national_id: Value | None = None
    first_name: Value | None = None
    last_name: Value | None = None
    dob: Value | None = None


class EventIn(Strict):
    """A touch (a channel reached the person) or a conversion (a signed job, with revenue).

    Carries `identifiers` (resolved through the identity graph; unknown ones create an
    identity) or, for a known identity, its `identity_id`.
    """

    event_id: Value
    kind: Literal["touch", "conversion"] = "touch"
    storm_id: Value
    ts: dt.datetime
    channel: Value | None = None
    cost: Cost | None = None
    revenue: Money | None = None
    campaign: Value | None = None
    creative: Value | None = None
    play: Value | None = None
    sii: Sii | None = None
    uplift: Uplift | None = None
    identifiers: IdentifiersIn | None = None
    identity_id: Value | None = None


class EventBatchIn(Strict):
    events: list[EventIn] = Field(min_length=1, max_length=MAX_BATCH)


def _form(value: Any) -> str:
    return "batch" if isinstance(value, dict) and "events" in value else "event"


_BODY: TypeAdapter = TypeAdapter(Annotated[
    Annotated[EventIn, Tag("event")] | Annotated[EventBatchIn, Tag("batch")],
    Discriminator(_form),
])


def _inline(schema: Any, defs: dict[str, Any]) -> Any:
    """The JSON schema with every local $ref replaced by its definition (for OpenAPI)."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return _inline(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
        return {k: _inline(v, defs) for k, v in schema.items() if k != "$defs"}
    if isinstance(schema, list):
        return [_inline(v, defs) for v in schema]
    return schema


_SCHEMA = _BODY.json_schema()
_OPENAPI_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": _inline(_SCHEMA, _SCHEMA.get("$defs", {}))}}}}


async def _parse(request: Request) -> EventIn | EventBatchIn:
    """The body as one event or a batch; errors name the field as the client wrote it."""
    raw = await request.body()
    try:
        return _BODY.validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        if first["type"] == "json_invalid":
            error = HTTPException(400, "request body is not valid JSON")
            error.field = "body"  # type: ignore[attr-defined]
            raise error from None
        field = ".".join(str(p) for p in first["loc"][1:]) or "body"
        raise InvalidInput(f"{field}: {first['msg']}", field=field) from None


EventBody = Annotated[EventIn | EventBatchIn, Depends(_parse)]


async def get_journeys(request: Request) -> JourneyGraph:
    return request.app.state.services.journeys


Journeys = Annotated[JourneyGraph, Depends(get_journeys)]


def _event(body: EventIn) -> dict[str, Any]:
    return body.model_dump(exclude_none=True)


def _check(services: Services, tenant: str, events: list[dict[str, Any]],
           batch: bool) -> None:
    """Refuse what the stream's consumer would dead-letter (a channel the tenant does not
    have, ...), before publishing: a 422 naming the field, and nothing published."""
    channels = services.profiles.config(tenant).channels
    for pos, event in enumerate(events):
        parse_event(event, channels, services.region, f"events.{pos}." if batch else "")


def _record(live: LiveAttribution, events: list[dict[str, Any]], batch: bool) -> dict[str, Any]:
    """Write through the event path, the storms' live attribution updated in the same
    transaction."""
    if not batch:
        return live.record_event(events[0])
    outcomes = live.record_events(events).outcomes
    results = [outcome.__dict__ for outcome in outcomes]
    recorded = sum(1 for r in results if r["status"] == "recorded")
    return {"results": results, "recorded": recorded, "duplicates": len(results) - recorded}


@router.post("/events", openapi_extra=_OPENAPI_BODY,
             response_model=EventRecorded | EventBatchRecorded,
             responses={202: {"model": EventsPublished,
                              "description": "published to the events topic"},
                        **problem_responses(404, 503)},
             summary="Record one event, or a batch ({\"events\": [...]}), on identities' "
                     "journeys; profiles and the storm's live attribution updated. Where the "
                     "deployment publishes events to Kafka, they are validated, published "
                     "and answered 202 {published, topic}")
def post_events(principal: Service, body: EventBody, request: Request,
                journeys: Journeys) -> Any:
    batch = isinstance(body, EventBatchIn)
    items = body.events if batch else [body]
    publisher = request.app.state.services.publisher
    if publisher is not None:
        events = [e.model_dump(mode="json", exclude_none=True) for e in items]
        _check(request.app.state.services, principal.tenant, events, batch)
        published = publisher.publish(principal.tenant, events)
        return JSONResponse({"published": published, "topic": publisher.topic},
                            status_code=202)
    live = live_attribution(request, principal.tenant)
    return _record(live, [_event(e) for e in items], batch)


class StormIn(Strict):
    storm_id: Value
    name: Value | None = None
    date: dt.date | None = None
    sii: Sii | None = None
    properties: dict[Annotated[str, StringConstraints(min_length=1, max_length=256)], Sii] | \
        None = Field(default=None, max_length=MAX_BATCH)


class StormsIn(Strict):
    storms: list[StormIn] = Field(min_length=1, max_length=100)


@router.post("/storms", response_model=StormsWritten,
             summary="Create or update storms: name, date, SII overall and per property")
def post_storms(body: StormsIn, principal: Service, journeys: Journeys) -> dict[str, int]:
    storms = [s.model_dump(exclude_none=True) for s in body.storms]
    return {"written": journeys.upsert_storms(principal.tenant, storms)}
