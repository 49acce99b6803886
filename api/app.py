"""The FastAPI application: drivers opened at start, schema applied, routers mounted."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import RedirectResponse, Response
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool

from stormops.api import problems
from stormops.api.limits import BodyLimit
from stormops.api.observability import (
    RequestContext,
    configure_logging,
    metrics_payload,
    observe_query,
)
from stormops.api.routes import (
    attribution,
    browser,
    events,
    experiments,
    health,
    identities,
    keys,
    live,
    me,
    merges,
    mmm,
    profiles,
    records,
    resolve,
    review,
    storms,
)
from stormops.core.heap import settle_heap
from stormops.core.settings import Settings
from stormops.services import Services

log = logging.getLogger("stormops.api")


async def _warm(app: FastAPI, services: Services) -> None:
    """Connections, query plans and models warmed, then `/readyz` says ready: a load
    balancer sends no traffic to a cold process."""
    try:
        await services.warm_up_async()
        await run_in_threadpool(services.warm_up)
        await run_in_threadpool(services.models.warm)
    except Exception:  # noqa: BLE001 - a failed warm-up only costs the first requests time
        log.exception("warm-up failed; serving cold")
    settle_heap()
    app.state.ready = True


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service; settings default to the environment's.

    Reads use the async driver; writes run the sync `IdentityGraph` in the thread pool, so
    the CLI and the API share one transactional code path for every change. The services
    come from the composition root (`stormops.services`), made once at start.
    """
    settings = settings or Settings()
    configure_logging()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = Services(settings, observe=observe_query)
        try:
            await run_in_threadpool(services.apply_schema)
            services.publisher  # noqa: B018 - the Kafka producer is made at start
            app.state.services = services
            app.state.settings = settings
            app.state.ready = False
            warming = asyncio.create_task(_warm(app, services))
            yield
            warming.cancel()
        finally:
            if getattr(app.state, "mmm_jobs", None) is not None:
                app.state.mmm_jobs.shutdown()
            await services.aclose()

    # Swagger UI and ReDoc served from the app's own packaged copy: the docs work offline.
    app = FastAPIOffline(title="StormOps Identity", version="1.0.0", lifespan=lifespan,
                         description="Resolve homeowner identifiers to stable identities; "
                                     "review, merge and undo merges with a full audit trail.")
    problems.install(app)
    for router in (health.router, resolve.router, records.router, identities.router,
                   merges.router, review.router, events.router, profiles.router,
                   experiments.router, attribution.router, live.router,
                   keys.router, me.router, browser.router, storms.router, mmm.router):
        app.include_router(router)

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        body, content_type = metrics_payload()
        return Response(body, media_type=content_type)

    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestContext)
    return app
