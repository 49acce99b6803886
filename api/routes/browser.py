"""The Neo4j Browser guide (`:play <api>/browser/guide.html`) and style, for analysts.

They hold saved queries, no data, so they need no key; the Browser fetches them from its own
origin, so they allow any origin to read them.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse

from stormops.graph.guide import guide_html, style_grass

router = APIRouter(prefix="/browser", tags=["browser"])
_OPEN = {"Access-Control-Allow-Origin": "*"}


@router.get("/guide.html", response_class=HTMLResponse,
            summary="The Browser guide: saved queries as clickable blocks")
async def guide(request: Request) -> HTMLResponse:
    return HTMLResponse(guide_html(str(request.base_url).rstrip("/")), headers=_OPEN)


@router.get("/style.grass", response_class=PlainTextResponse,
            summary="The Browser style: nodes captioned by name or value")
async def style() -> PlainTextResponse:
    return PlainTextResponse(style_grass(), headers=_OPEN)
