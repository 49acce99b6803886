"""Every error as `application/problem+json`: type, title, status, detail, field, request id.

No stack trace or query text reaches a client; unexpected errors are logged with the id.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from stormops.api.observability import request_id_var
from stormops.core.errors import (
    Conflict,
    InvalidInput,
    InvalidRow,
    ModelNotTrained,
    NotFound,
    StormOpsError,
)
from stormops.stream import StreamUnavailable

log = logging.getLogger("stormops.api")
_STATUS = {InvalidInput: 422, NotFound: 404, Conflict: 409, ModelNotTrained: 409,
           StreamUnavailable: 503}
_TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
           405: "Method not allowed", 409: "Conflict", 413: "Payload too large",
           415: "Unsupported media type", 422: "Invalid input", 500: "Internal error",
           503: "Service unavailable"}


def problem(status: int, detail: str, field: str | None = None,
            headers: dict[str, str] | None = None,
            errors: list[dict[str, str]] | None = None) -> JSONResponse:
    title = _TITLES.get(status, "Error")
    body = {"type": f"/problems/{title.lower().replace(' ', '-')}", "title": title,
            "status": status, "detail": detail, "field": field,
            "request_id": request_id_var.get()}
    if errors:
        body["errors"] = errors  # every bad field of a row, not only the first
    return JSONResponse(body, status_code=status, headers=headers,
                        media_type="application/problem+json")


def status_of(exc: StormOpsError) -> int:
    """The status of the nearest class up the error's hierarchy that has one (400 for none):
    a subclass answers as its parent unless it is given a status of its own."""
    return next((_STATUS[kind] for kind in type(exc).__mro__ if kind in _STATUS), 400)


_NOT_AN_OBJECT = {"model_attributes_type", "dict_type", "missing"}


def _field(loc: tuple) -> str | None:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or None


def install(app: FastAPI) -> None:
    @app.exception_handler(StormOpsError)
    async def _domain(request: Request, exc: StormOpsError) -> JSONResponse:
        errors = ([{"field": field, "message": message} for field, message in exc.problems]
                  if isinstance(exc, InvalidRow) else None)
        return problem(status_of(exc), exc.message, exc.field, errors=errors)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0]
        loc = tuple(first.get("loc", ()))
        if first.get("type") == "json_invalid":
            return problem(400, "request body is not valid JSON", "body")
        if loc == ("body",) and first.get("type") in _NOT_AN_OBJECT:
            return problem(400, "expected a JSON object body (Content-Type: application/json)",
                           "body")
        field = _field(loc) or "body"
        errors = [{"field": _field(tuple(e.get("loc", ()))) or "body", "message": e.get("msg")}
                  for e in exc.errors()]
        return problem(422, f"{field}: {first.get('msg')}", field,
                       errors=errors if len(errors) > 1 else None)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        return problem(exc.status_code, str(exc.detail), getattr(exc, "field", None),
                       getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return problem(500, "internal error; quote the request id when reporting it")
