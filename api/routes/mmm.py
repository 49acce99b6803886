"""The marketing-mix model: fits (admins; a background job with a status), ROI with
intervals, response curves and the budget optimizer (every role reads)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from stormops.api.deps import Admin, ReaderRole
from stormops.api.responses import AUTH_PROBLEMS, problem_responses
from stormops.api.schemas import Strict
from stormops.mmm import RISK, FitSettings, MarketingMix
from stormops.mmm.jobs import FitJobs

router = APIRouter(prefix="/v1/mmm", tags=["marketing mix"],
                   responses=problem_responses(*AUTH_PROBLEMS))

Channel = Annotated[str, Field(min_length=1, max_length=64)]
Spend = Annotated[float, Field(ge=0, le=1e9)]
VersionQuery = Annotated[str | None, Query(max_length=64, description="a fit's version; "
                                                                       "default the newest")]


class LiftTestIn(Strict):
    channel: Channel
    x: Spend = Field(description="weekly spend on the channel before the test")
    delta_x: float = Field(ge=-1e9, le=1e9, description="change of weekly spend (a holdout: -x)")
    delta_y: float = Field(ge=-1e10, le=1e10, description="measured change of weekly revenue")
    sigma: float = Field(gt=0, le=1e10, description="standard error of delta_y")


class FitIn(Strict):
    months: int = Field(default=24, ge=1, le=120, description="months back from the latest week")
    channels: list[Channel] | None = Field(default=None, min_length=1, max_length=32)
    lift_tests: list[LiftTestIn] = Field(default_factory=list, max_length=200)
    holdouts: dict[Annotated[str, Field(max_length=64)], Annotated[float, Field(gt=0, le=520)]] \
        = Field(default_factory=dict, max_length=50,
                description="channel_holdout experiments read as lift tests: "
                            "{experiment_id: weeks it ran}")
    draws: int = Field(default=500, ge=50, le=5000)
    tune: int = Field(default=500, ge=50, le=5000)
    chains: int = Field(default=2, ge=1, le=8)
    seed: int = Field(default=0, ge=0, le=2**31)
    storm_control: bool = True


class AllocationIn(Strict):
    allocation: dict[Channel, Spend] | None = Field(
        default=None, max_length=32, description="weekly spend per channel; default the "
                                                 "current split")
    version: Annotated[str, Field(max_length=64)] | None = None


class OptimizeIn(Strict):
    total: float = Field(gt=0, le=1e9, description="weekly budget to split")
    bounds: dict[Channel, tuple[Spend, Spend]] | None = Field(
        default=None, max_length=32, description="weekly [low, high] per channel")
    version: Annotated[str, Field(max_length=64)] | None = None
    risk: float = Field(default=RISK, ge=0, le=10, description=(
        "posterior standard deviations of the split's revenue given up for certainty: the "
        "optimizer maximizes mean - risk * sd (0 maximizes expected revenue)"))


class Interval(BaseModel):
    mean: float
    low: float
    high: float


class FitJob(BaseModel):
    job_id: str
    tenant_id: str
    status: str = Field(description="queued, running, done or failed")
    version: str | None = None
    error: str | None = None
    weeks: int
    channels: list[str]
    lift_tests: int
    diagnostics: dict[str, float | None] | None = None
    updated_at: str


class Window(BaseModel):
    start: str
    end: str
    weeks: int


class ModelOut(BaseModel):
    version: str
    fitted_at: str
    window: Window
    channels: list[str]
    diagnostics: dict[str, float | None] = Field(
        description="r_hat_max (null for one chain), ess_bulk_min, divergences")
    lift_tests: list[dict[str, Any]]
    settings: dict[str, Any]
    fit_seconds: float


class ChannelRoi(BaseModel):
    roi: Interval
    weekly_spend: float


class Curve(BaseModel):
    spend: list[float]
    mean: list[float]
    low: list[float]
    high: list[float]


class RoiOut(BaseModel):
    version: str
    window: Window
    hdi_prob: float
    channels: dict[str, ChannelRoi]
    curves: dict[str, Curve] = Field(description="weekly revenue per weekly spend")


class ChannelPrediction(BaseModel):
    spend: float
    revenue: Interval
    roi: Interval | None


class PredictionOut(BaseModel):
    version: str
    hdi_prob: float
    spend: float
    revenue: Interval
    roi: Interval | None
    channels: dict[str, ChannelPrediction]


class OptimizeOut(BaseModel):
    version: str
    total: float
    risk: float
    hdi_prob: float
    allocation: dict[str, float]
    current: dict[str, float] = Field(description="the current split scaled to the total")
    change: dict[str, float]
    expected_revenue: Interval
    current_revenue: Interval
    gain: Interval
    channels: dict[str, ChannelPrediction]


def _mix(request: Request, tenant: str) -> MarketingMix:
    return request.app.state.services.mix(tenant)


async def _jobs(request: Request) -> FitJobs:
    """The process's fit runner, made on first use on the event loop (no two threads make
    one each)."""
    if getattr(request.app.state, "mmm_jobs", None) is None:
        request.app.state.mmm_jobs = FitJobs()
    return request.app.state.mmm_jobs


Jobs = Annotated[FitJobs, Depends(_jobs)]


@router.post("/fits", status_code=202, response_model=FitJob,
             summary="Fit the tenant's mix model in the background; bad input is refused "
                     "before the job starts")
def fit(body: FitIn, principal: Admin, request: Request, jobs: Jobs) -> dict[str, Any]:
    mix = _mix(request, principal.tenant)
    data, tests = mix.prepare(body.months, [t.model_dump() for t in body.lift_tests],
                              body.channels, body.holdouts)
    settings = FitSettings(draws=body.draws, tune=body.tune, chains=body.chains,
                           seed=body.seed, storm_control=body.storm_control)
    return jobs.submit(mix, data, tests, settings)


@router.get("/fits/{job_id}", response_model=FitJob, responses=problem_responses(404),
            summary="A fit job's status")
def fit_status(job_id: str, principal: ReaderRole, request: Request,
               jobs: Jobs) -> dict[str, Any]:
    return jobs.status(_mix(request, principal.tenant), job_id)


@router.get("/models", response_model=list[ModelOut],
            summary="The tenant's fits, newest first, with data window and diagnostics")
def models(principal: ReaderRole, request: Request) -> list[dict[str, Any]]:
    return _mix(request, principal.tenant).models()


@router.get("/roi", response_model=RoiOut, responses=problem_responses(404, 409),
            summary="ROI per channel over the fitted window with 94% intervals, and each "
                    "channel's response curve")
def roi(principal: ReaderRole, request: Request, version: VersionQuery = None,
        points: Annotated[int, Query(ge=2, le=200)] = 25) -> dict[str, Any]:
    return _mix(request, principal.tenant).roi(version, points)


@router.post("/roi", response_model=PredictionOut, responses=problem_responses(404, 409),
             summary="Expected weekly revenue and ROI of a weekly allocation, with 94% "
                     "intervals")
def predict(body: AllocationIn, principal: ReaderRole, request: Request) -> dict[str, Any]:
    return _mix(request, principal.tenant).predict_roi(body.allocation, body.version)


@router.post("/optimize", response_model=OptimizeOut, responses=problem_responses(404, 409),
             summary="The split of a weekly budget that earns the most within bounds, against "
                     "the current split")
def optimize(body: OptimizeIn, principal: ReaderRole, request: Request) -> dict[str, Any]:
    return _mix(request, principal.tenant).optimize_budget(body.total, body.bounds,
                                                           body.version, body.risk)
