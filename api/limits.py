"""Request bodies bounded at the door: refused with 413 before anything reads or parses them.

A declared `Content-Length` over the limit is answered at once, without reading a byte of the
body; a body sent without one (chunked) is counted as it arrives and refused as soon as it
passes the limit, so no more than the limit is ever held.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stormops.api.problems import problem


def _too_large(limit: int) -> str:
    return f"request body larger than {limit:,} bytes; send smaller batches"


class BodyLimit:
    """Pure ASGI middleware refusing bodies over `max_bytes` with a 413 problem."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            status, detail = (413, _too_large(self.max_bytes)) if declared.isdigit() else (
                400, "Content-Length is not a number")
            await problem(status, detail, "body", {"Connection": "close"})(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    refused = HTTPException(413, _too_large(self.max_bytes))
                    refused.field = "body"  # named in the problem, as for the declared case
                    raise refused
            return message

        await self.app(scope, counted, send)
