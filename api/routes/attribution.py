"""Attribution: per-tenant config, runs over a storm, and the stored results."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from pydantic import Field

from stormops.api.deps import Admin, ReaderRole, Service
from stormops.api.responses import (
    AUTH_PROBLEMS,
    AttributionComparison,
    AttributionConfigState,
    AttributionRun,
    JourneyCredit,
    StoredAttribution,
    problem_responses,
)
from stormops.api.schemas import Strict
from stormops.attribution.engine import AttributionEngine, read_tenant_config, save_tenant_config
from stormops.services import Services

router = APIRouter(prefix="/v1/attribution", tags=["attribution"],
                   responses=problem_responses(*AUTH_PROBLEMS))

MethodName = Annotated[str | None, Query(max_length=64, description="a method; default the "
                                                                     "tenant's default")]


class RunIn(Strict):
    methods: list[Annotated[str, Field(max_length=64)]] | None = Field(
        default=None, min_length=1, max_length=8,
        description="methods to run (each enabled for the tenant); default all enabled")


def _store(request: Request) -> Services:
    return request.app.state.services


def _engine(services: Services, tenant: str) -> AttributionEngine:
    return services.attribution(tenant)


@router.get("/config", response_model=AttributionConfigState,
            summary="The tenant's attribution config (defaults when none stored)")
def get_config(principal: ReaderRole, request: Request) -> dict[str, Any]:
    return read_tenant_config(principal.tenant, store=_store(request).attribution_store)


@router.put("/config", response_model=AttributionConfigState,
            summary="Replace the tenant's attribution config; missing fields take "
                    "their defaults, a bad field is a 422 naming it")
def put_config(principal: Admin, request: Request,
               body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    return save_tenant_config(principal.tenant, body, store=_store(request).attribution_store)


def _run(store: Services, tenant: str, storm_id: str,
         methods: list[str] | None) -> dict[str, Any]:
    return _engine(store, tenant).attribute_storm(storm_id, methods)


@router.post("/storms/{storm_id}", response_model=AttributionRun,
             responses=problem_responses(404),
             summary="Run attribution over a storm and store the results "
                     "(replacing the previous run of each method)")
def run_storm(storm_id: str, principal: Service, request: Request,
              body: Annotated[RunIn | None, Body()] = None) -> dict[str, Any]:
    methods = body.methods if body is not None else None
    return _run(_store(request), principal.tenant, storm_id, methods)


def _stored(store: Services, tenant: str, storm_id: str, method: str | None,
            skip: int, limit: int) -> dict[str, Any]:
    return _engine(store, tenant).stored_results(storm_id, method, skip, limit)


@router.get("/storms/{storm_id}", response_model=StoredAttribution,
            responses=problem_responses(404),
            summary="A method's stored credit for a storm: per channel, and a page of journeys")
def read_storm(storm_id: str, principal: ReaderRole, request: Request,
                     method: MethodName = None,
                     skip: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
                     limit: Annotated[int, Query(ge=0, le=1000)] = 100) -> dict[str, Any]:
    return _stored(_store(request), principal.tenant, storm_id, method, skip, limit)


def _compare(store: Services, tenant: str, storm_id: str) -> dict[str, Any]:
    return _engine(store, tenant).stored_comparison(storm_id)


@router.get("/storms/{storm_id}/compare", response_model=AttributionComparison,
            responses=problem_responses(404),
            summary="Stored credit per channel of every method run on a storm, side by side")
def compare_storm(storm_id: str, principal: ReaderRole, request: Request) -> dict[str, Any]:
    return _compare(_store(request), principal.tenant, storm_id)


def _journey(store: Services, tenant: str, journey_id: str,
             method: str | None) -> dict[str, Any]:
    return _engine(store, tenant).attribute_journey(journey_id, method)


@router.get("/journeys/{journey_id}", response_model=JourneyCredit,
            responses=problem_responses(404),
            summary="Credit one journey now, data-driven methods fitted on its storm")
def read_journey(journey_id: str, principal: ReaderRole, request: Request,
                 method: MethodName = None) -> dict[str, Any]:
    return _journey(_store(request), principal.tenant, journey_id, method)
