"""Experiments and incrementality reports."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import Field

from stormops.api.deps import ReaderRole, Reviewer
from stormops.api.responses import (
    AUTH_PROBLEMS,
    AssignmentOut,
    Experiment,
    ExperimentCreated,
    ExperimentList,
    IncrementalOut,
    LiftOut,
    ReportOut,
    TemplateList,
    problem_responses,
)
from stormops.api.schemas import Strict, Value
from stormops.experiments.platform import ExperimentsPlatform
from stormops.experiments.reporting import render_html
from stormops.experiments.templates import catalog

router = APIRouter(prefix="/v1", tags=["experiments"],
                   responses=problem_responses(*AUTH_PROBLEMS))


class ExperimentIn(Strict):
    template: Literal["geo_split", "holdout", "channel_holdout", "policy_test", "model_ab",
                      "creative_test"]
    config: dict[str, Any] = Field(description="name, and the template's settings")


class PropertyIn(Strict):
    property_id: Value
    zip: Value | None = None
    uplift_band: Value | None = None
    persona: Value | None = None


class AssignmentsIn(Strict):
    properties: list[PropertyIn] = Field(min_length=1, max_length=50_000)


class StormAssignmentIn(Strict):
    storm_id: Value | None = Field(default=None, description="default: the experiment's")


def _json_safe(value: Any) -> Any:
    """JSON has no inf or NaN: an unbounded interval end or an undefined ratio becomes null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def _platform(request: Request, tenant: str) -> ExperimentsPlatform:
    return request.app.state.services.experiments(tenant)


def _summary(summary: Any) -> dict[str, Any]:
    return {"units": summary.units, "properties": summary.properties,
            "srm": summary.srm.__dict__ if summary.srm else None,
            "rejected": [{"position": pos, "reason": why} for pos, why in summary.rejected]}


@router.get("/experiments/templates", response_model=TemplateList,
            summary="The experiment templates: arms, weights, unit, stratum and the settings "
                    "each takes")
def templates(principal: ReaderRole) -> dict[str, Any]:
    return {"templates": catalog()}


@router.get("/experiments", response_model=ExperimentList,
            summary="The tenant's experiments, newest first (one storm's with storm_id), each "
                    "with arms, assignment counts and SRM")
def list_experiments(principal: ReaderRole, request: Request,
                     storm_id: Annotated[str | None, Query(max_length=256)] = None
                     ) -> dict[str, Any]:
    platform = _platform(request, principal.tenant)
    return _json_safe({"experiments": platform.list_experiments(storm_id)})


@router.get("/experiments/{experiment_id}", response_model=Experiment,
            responses=problem_responses(404),
            summary="One experiment: definition, arms with assignment counts, SRM check")
def read_experiment(experiment_id: str, principal: ReaderRole,
                    request: Request) -> dict[str, Any]:
    platform = _platform(request, principal.tenant)
    return _json_safe(platform.describe(experiment_id))


@router.post("/experiments", status_code=201, response_model=ExperimentCreated,
             summary="Create an experiment from a template")
def create(body: ExperimentIn, principal: Reviewer, request: Request) -> dict[str, str]:
    platform = _platform(request, principal.tenant)
    return {"experiment_id": platform.create_experiment(body.template, body.config)}


@router.post("/experiments/{experiment_id}/assignments", response_model=AssignmentOut,
             responses=problem_responses(404),
             summary="Assign properties to arms (stable; re-runs keep arms)")
def assign(experiment_id: str, body: AssignmentsIn, principal: Reviewer,
                 request: Request) -> dict[str, Any]:
    platform = _platform(request, principal.tenant)
    rows = [p.model_dump(exclude_none=True) for p in body.properties]
    return _summary(platform.assign_properties(experiment_id, rows))


@router.post("/experiments/{experiment_id}/assignments/storm", response_model=AssignmentOut,
             responses=problem_responses(404),
             summary="Assign every property the storm hit (stable; re-runs keep arms)")
def assign_storm(experiment_id: str, principal: Reviewer, request: Request,
                 body: StormAssignmentIn | None = None) -> dict[str, Any]:
    platform = _platform(request, principal.tenant)
    storm_id = body.storm_id if body is not None else None
    return _summary(platform.assign_storm(experiment_id, storm_id))


@router.get("/experiments/{experiment_id}/lift", response_model=LiftOut,
            responses=problem_responses(404),
            summary="Lift of each arm over control, with intervals and the SRM check; an "
                    "unbounded interval end or an undefined ratio is null")
def lift(experiment_id: str, principal: ReaderRole, request: Request,
         storm_id: Annotated[str | None, Query(max_length=256)] = None,
         confidence: Annotated[float, Query(gt=0.5, lt=1)] = 0.95) -> dict[str, Any]:
    platform = _platform(request, principal.tenant)
    return _json_safe(platform.measure_lift(experiment_id, storm_id, confidence))


@router.get("/reports/storms/{storm_id}", response_model=ReportOut,
            responses={200: {"content": {"text/html": {}},
                             "description": "the report; HTML with format=html"},
                       **problem_responses(404)},
            summary="The storm's incrementality report (404 for a storm not in the graph)")
def report(storm_id: str, principal: ReaderRole, request: Request,
           format: Literal["json", "html"] = "json") -> Any:
    reporter = request.app.state.services.incrementality(principal.tenant)
    body = reporter.generate_report(storm_id)
    if format == "html":
        return HTMLResponse(render_html(body), headers={
            "Content-Disposition": f'inline; filename="incrementality-{_safe(storm_id)}.html"'})
    return _json_safe(body)


def _safe(name: str) -> str:
    """A storm id fit for a file name."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:100]


@router.get("/reports/storms/{storm_id}/incremental", response_model=IncrementalOut,
            responses=problem_responses(404),
            summary="Fractional path credit next to incremental credit, per channel")
def incremental(storm_id: str, principal: ReaderRole, request: Request,
                method: Annotated[str | None, Query(max_length=32)] = None
                ) -> dict[str, Any]:
    both = request.app.state.services.incremental_attribution(principal.tenant)
    return _json_safe(both.compare_fractional_vs_incremental(storm_id, method))
