"""The FastAPI application: drivers opened at start, schema applied, routers mounted."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import RedirectResponse, Response
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool

from stormops.api import problems
from stormops.api.observability import (
    RequestContext,
    configure_logging,
    metrics_payload,
    observe_query,
)
from stormops.api.routes import (
    attribution,
    events,
    experiments,
    health,
    identities,
    live,
    merges,
    profiles,
    records,
    resolve,
    review,
)
from stormops.core.settings import Settings
from stormops.graph import IdentityGraph, apply_schema, open_async_driver, open_driver
from stormops.graph.aio import AsyncIdentityReader
from stormops.graph.records import RecordGraph
from stormops.matching.ingest import RecordLinker
from stormops.matching.normalize import RECORD_COLUMNS
from stormops.matching.store import ModelStore
from stormops.stream import EventPublisher


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service; settings default to the environment's.

    Reads use the async driver; writes run the sync `IdentityGraph` in the thread pool, so
    the CLI and the API share one transactional code path for every change.
    """
    settings = settings or Settings()
    configure_logging()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async_driver = open_async_driver(settings)
        driver = open_driver(settings)
        try:
            await run_in_threadpool(apply_schema, driver, settings.neo4j_database)
            app.state.reader = AsyncIdentityReader(async_driver, settings.neo4j_database,
                                                   settings.phone_region, observe_query)
            app.state.graph = IdentityGraph(driver, settings.neo4j_database,
                                            settings.phone_region)
            app.state.settings = settings
            app.state.publisher = EventPublisher(
                settings.kafka_bootstrap, settings.events_topic) if settings.events_via_kafka \
                else None
            app.state.linker = RecordLinker(
                RecordGraph(driver, settings.neo4j_database, settings.phone_region,
                            columns=RECORD_COLUMNS),
                ModelStore(settings.model_dir), policy=settings.invalid_values)
            yield
        finally:
            if getattr(app.state, "publisher", None) is not None:
                app.state.publisher.close()
            await async_driver.close()
            driver.close()

    # Swagger UI and ReDoc served from the app's own packaged copy: the docs work offline.
    app = FastAPIOffline(title="StormOps Identity", version="1.0.0", lifespan=lifespan,
                         description="Resolve homeowner identifiers to stable identities; "
                                     "review, merge and undo merges with a full audit trail.")
    problems.install(app)
    for router in (health.router, resolve.router, records.router, identities.router,
                   merges.router, review.router, events.router, profiles.router,
                   experiments.router, attribution.router, live.router):
        app.include_router(router)

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        body, content_type = metrics_payload()
        return Response(body, media_type=content_type)

    app.add_middleware(RequestContext)
    return app
