"""Response bodies of the routes whose answers come from the domain as plain data.

Each model names the fields a client can rely on, so OpenAPI shows them. Models allow extra
fields: a document whose fields follow a stored definition (an experiment's template
settings, a profile's stored properties) keeps them all, and no field is ever dropped on the
way out. Errors are `application/problem+json` (`Problem`), documented per route with
`problem_responses`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Out(BaseModel):
    """A response body: the documented fields, and any others the domain adds."""

    model_config = ConfigDict(extra="allow")


# -- errors -----------------------------------------------------------------------------------

class Problem(BaseModel):
    """An error (RFC 9457): `field` names the input at fault when one is."""

    type: str
    title: str
    status: int
    detail: str
    field: str | None
    request_id: str | None
    errors: list[dict[str, str]] | None = Field(
        default=None, description="every bad field of a row ({field, message}), when several")


_PROBLEM_SCHEMA = Problem.model_json_schema()
_MEANING = {400: "Malformed request", 401: "Missing or unknown API key",
            403: "The key's role may not do this", 404: "Not found", 409: "Conflict",
            413: "Body too large", 422: "Invalid input, naming the field",
            503: "A dependency is unavailable"}
AUTH_PROBLEMS = (401, 403, 422)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for error statuses, each an `application/problem+json` Problem
    (replaces FastAPI's default 422 schema, which is not what this API answers)."""
    return {status: {"description": _MEANING[status], "content": {
        "application/problem+json": {"schema": _PROBLEM_SCHEMA}}} for status in statuses}


# -- health, storms -----------------------------------------------------------------------------

class Health(Out):
    status: Literal["ok"]


class Readiness(Out):
    status: Literal["ready", "not ready"]


class Storm(Out):
    """A storm with its counts."""

    storm_id: str
    name: str | None
    date: date | None
    sii: float | None
    journeys: int
    converted: int
    revenue: float
    impacted_properties: int
    experiments: int


class StormList(Out):
    storms: list[Storm]


class StormsWritten(Out):
    written: int


# -- identities -------------------------------------------------------------------------------

class SearchMatch(Out):
    identity_id: str


class SearchOut(Out):
    query: str
    type: str | None
    identity_id: str | None
    matches: list[SearchMatch]


class IdentityOut(Out):
    """An identity (its stored properties) with identifiers, records, properties and the
    merge/unmerge events that touched it."""

    identity_id: str
    tenant_id: str
    status: str
    created_at: datetime
    identifiers: list[dict[str, Any]]
    records: list[dict[str, Any]]
    properties: list[dict[str, Any]]
    history: list[dict[str, Any]]


class Neighbourhood(Out):
    identity: dict[str, Any]
    identifiers: list[dict[str, Any]]
    properties: list[dict[str, Any]]
    merged: list[dict[str, Any]]


class HistoryOut(Out):
    identity_id: str
    events: list[dict[str, Any]]


class Erased(Out):
    """The erasure's audit event and how many nodes of each kind were removed."""

    event_id: str
    at: datetime
    records: int
    identifiers: int
    journeys: int
    touchpoints: int
    results: int
    profiles: int
    review_items: int
    merge_events: int
    properties: int
    identities: int


# -- profiles -----------------------------------------------------------------------------------

class Profile(Out):
    identity_id: str
    total_storms: int | None
    total_conversions: int | None
    lifetime_value: float | None
    avg_sii_score: float | None
    avg_uplift: float | None
    primary_channel: str | None
    segment: str | None
    last_updated: datetime | None
    storms: list[Any] | None
    total_touches: int | None
    total_cost: float | None
    first_seen: datetime | None
    last_event_at: datetime | None


class IdentityProfile(Profile):
    status: str | None


class ProfilePage(Out):
    items: list[Profile]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page")


class JourneysOut(Out):
    identity_id: str
    journeys: list[dict[str, Any]]


class ProfileConfigOut(Out):
    channels: list[str]
    segment_rules: list[dict[str, Any]]


# -- events -------------------------------------------------------------------------------------

class EventOutcome(Out):
    """Where an event landed: recorded or a duplicate; its identifiers linked to a known
    identity, created one, or were queued for review."""

    event_id: str
    identity_id: str | None
    journey_id: str | None
    status: Literal["recorded", "duplicate"]
    identity: str | None


class EventRecorded(EventOutcome):
    """One event's outcome and the identity's profile as committed."""

    profile: dict[str, Any] | None


class EventBatchRecorded(Out):
    results: list[EventOutcome]
    recorded: int
    duplicates: int


class EventsPublished(Out):
    published: int
    topic: str


# -- experiments --------------------------------------------------------------------------------

class Template(Out):
    template: str
    description: str
    unit: str
    variants: list[str]
    weights: list[float]
    control: str
    stratify_by: str | None
    settings: list[str]


class TemplateList(Out):
    templates: list[Template]


class Srm(Out):
    """The sample-ratio-mismatch check of assignment units."""

    chi2: float | None
    p_value: float | None
    flagged: bool
    observed: list[int]
    expected: list[float]


class Arm(Out):
    units: int
    properties: int
    weight: float


class Experiment(Out):
    """An experiment's stored definition, its arms and SRM; `storm_id`, `stratify_by` and
    `channel` are present when the template or its config sets them."""

    experiment_id: str
    tenant_id: str
    created_at: datetime
    template: str
    name: str
    unit: Literal["property", "zip"]
    variants: list[str]
    weights: list[float]
    control: str
    salt: str
    arms: dict[str, Arm]
    srm: Srm | None


class ExperimentList(Out):
    experiments: list[Experiment]


class ExperimentCreated(Out):
    experiment_id: str


class Rejected(Out):
    position: int
    reason: str


class AssignmentOut(Out):
    units: dict[str, int]
    properties: dict[str, int]
    srm: Srm | None
    rejected: list[Rejected]


class Estimate(Out):
    """A lift with its interval; an unbounded end or an undefined ratio is null."""

    metric: str
    estimate: float | None
    low: float | None
    high: float | None
    confidence: float
    n_treatment: int
    n_control: int
    method: str


class ArmOutcome(Out):
    properties: int
    units: int
    conversions: int
    conversion_rate: float | None
    revenue_per_unit: float | None


class LiftOut(Out):
    experiment_id: str
    template: str
    name: str
    storm_id: str
    control: str
    confidence: float
    arms: dict[str, ArmOutcome]
    lifts: dict[str, dict[str, Estimate]] = Field(description="per treated arm: difference, "
                                                              "relative, revenue_per_unit")
    by_play: dict[str, dict[str, Estimate]]
    srm: Srm | None


class ReportExperiment(Out):
    experiment_id: str
    name: str
    template: str
    channel: str | None
    readout: LiftOut


class SrmLine(Out):
    experiment: str
    flagged: bool
    p_value: float | None


class ReportOut(Out):
    """The storm's incrementality report (also served as HTML with `format=html`)."""

    storm_id: str
    storm: Storm
    tenant: str
    confidence: float
    overall: Estimate | None
    overall_experiment: str | None
    by_channel: dict[str, Estimate]
    by_play: dict[str, Estimate]
    by_play_source: str | None
    by_tenant: dict[str, Estimate | None]
    experiments: list[ReportExperiment]
    srm: list[SrmLine]
    srm_flagged: list[str]
    headline: str


class IncrementalRow(Out):
    channel: str
    fractional_credit: float | None
    fractional_share: float | None
    roadmap_incremental_credit: float | None
    calibrated_share: float | None
    incremental_conversions: float | None


class IncrementalOut(Out):
    storm_id: str
    method: str
    experiment_id: str
    treatment_rate: float | None
    control_rate: float | None
    lift_multiplier: float | None
    measured_incremental_conversions: float | None
    calibrated_channels: list[str]
    table: list[IncrementalRow]


# -- attribution --------------------------------------------------------------------------------

class AttributionConfigOut(Out):
    methods: list[str]
    default_method: str
    hybrid_weights: dict[str, float]
    half_life_days: float
    position_weights: dict[str, float]
    markov_order: int
    lookback_days: float | None
    channels: list[str] | None
    value: Literal["revenue", "conversions"]


class AttributionConfigState(Out):
    config: AttributionConfigOut
    stored: bool = Field(description="false while the tenant runs on the defaults")


class MethodRun(Out):
    channels: dict[str, float]
    details: dict[str, Any]
    written: int = Field(description="journeys stored")
    deleted: int = Field(description="old results replaced")


class AttributionRun(Out):
    storm_id: str
    channels: list[str]
    journeys: int
    attributed: int
    converted: int
    total_value: float
    skipped: int
    unattributed_value: float
    default_method: str
    methods: dict[str, MethodRun]


class JourneyResult(Out):
    journey_id: str
    credits: dict[str, float]
    touch_credits: list[float]
    value: float
    calculated_at: datetime | str | None


class StoredAttribution(Out):
    """A method's stored run over a storm (its totals, credit per channel and the config it
    ran with) and a page (`skip`, `limit`) of its journeys."""

    run_id: str
    tenant_id: str
    storm_id: str
    method: str
    journeys: int
    attributed: int
    converted: int
    skipped: int
    total_value: float
    channels: dict[str, float]
    details: dict[str, Any] | None
    calculated_at: datetime | str | None
    config: dict[str, Any]
    skip: int
    limit: int
    results: list[JourneyResult]


class AttributionComparison(Out):
    storm_id: str
    channels: list[str]
    calculated_at: dict[str, datetime | str | None]
    methods: dict[str, dict[str, float]]
    table: list[dict[str, str | float]] = Field(description="per channel: {channel, "
                                                            "<method>: credit, ...}")


class Touch(Out):
    channel: str
    ts: float
    credit: float


class JourneyCredit(Out):
    journey_id: str
    storm_id: str
    method: str
    converted: bool
    value: float
    credits: dict[str, float]
    touches: list[Touch]


# -- live ---------------------------------------------------------------------------------------

class MinuteCount(Out):
    minute: str | None
    events: int
    conversions: int


class Lag(Out):
    total: int | None
    partitions: list[dict[str, Any]]
    updated_at: str | None


class LiveDashboard(Out):
    storm_id: str
    name: str | None
    method: str
    value: str
    journeys: int
    events: int
    conversions: int
    converted_journeys: int
    revenue: float
    spend: float
    newest_event_at: str | None
    per_minute: list[MinuteCount]
    window_minutes: int = Field(description="per_minute covers this many minutes of event "
                                            "time, up to the newest event")
    channels: list[dict[str, Any]]
    credit: dict[str, float]
    details: dict[str, Any] | None
    incremental: IncrementalOut | None
    lag: Lag | None
    version: int
    updated_at: datetime | str | None
