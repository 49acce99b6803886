"""Request ids, one structured log line per request, and Prometheus metrics."""

from __future__ import annotations

import contextvars
import json
import logging
import os
import time
import uuid

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
tenant_var: contextvars.ContextVar[str] = contextvars.ContextVar("tenant", default="-")
log = logging.getLogger("stormops.api")

_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
REQUESTS = Counter("stormops_http_requests_total", "HTTP requests served",
                   ["method", "route", "status"])
LATENCY = Histogram("stormops_http_request_duration_seconds", "HTTP request latency",
                    ["method", "route"], buckets=_BUCKETS)
QUERY_TIME = Histogram("stormops_neo4j_query_duration_seconds", "Neo4j query time by query",
                       ["query"], buckets=_BUCKETS)


def observe_query(name: str, seconds: float) -> None:
    QUERY_TIME.labels(name).observe(seconds)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, always carrying the request id."""

    def format(self, record: logging.LogRecord) -> str:
        doc = {"ts": self.formatTime(record), "level": record.levelname, "logger": record.name,
               "request_id": request_id_var.get(), "msg": record.getMessage()}
        doc.update(getattr(record, "fields", {}))
        if record.exc_info:
            doc["exc"] = self.formatException(record.exc_info)
        return json.dumps(doc, default=str)


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("stormops")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


class RequestContext:
    """Pure ASGI middleware: request id in and out, access log line, request metrics."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if 0 < len(incoming) <= 64 and incoming.isprintable() \
            else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        tenant_token = tenant_var.set("-")
        status = 500
        start = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - start
            route = getattr(scope.get("route"), "path", "unmatched")
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            LATENCY.labels(scope["method"], route).observe(elapsed)
            log.info("request", extra={"fields": {
                "tenant": tenant_var.get(), "method": scope["method"], "route": route,
                "status": status, "duration_ms": round(elapsed * 1000, 3)}})
            request_id_var.reset(token)
            tenant_var.reset(tenant_token)


def metrics_payload() -> tuple[bytes, str]:
    """The exposition text; aggregated over workers when running several."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
