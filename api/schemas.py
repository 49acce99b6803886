"""Request and response bodies. Values are bounded so hostile input is refused at the door."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from stormops.core.normalize import MAX_VALUE_LENGTH

IdentifierType = Literal["email", "phone", "device_id", "national_id", "property_id",
                         "identity_id"]
Value = Annotated[str, StringConstraints(min_length=1, max_length=MAX_VALUE_LENGTH)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
MAX_BATCH = 1000
MAX_EXTRA = 100


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Identifier(Strict):
    type: IdentifierType
    value: Value


class ResolveIn(Strict):
    """One identifier (`type` + `value`) or a batch (`identifiers`, at most 1,000)."""

    type: IdentifierType | None = None
    value: Value | None = None
    identifiers: list[Identifier] | None = Field(default=None, min_length=1, max_length=MAX_BATCH)

    @model_validator(mode="after")
    def _one_form(self) -> ResolveIn:
        single = self.type is not None or self.value is not None
        if single == (self.identifiers is not None):
            raise ValueError("send either type and value, or identifiers")
        if single and (self.type is None or self.value is None):
            raise ValueError("type and value go together")
        return self


class Resolved(BaseModel):
    type: str
    value: str
    identity_id: str | None
    error: str | None = None


class ResolvedBatch(BaseModel):
    results: list[Resolved]


class RecordIn(BaseModel):
    """A record in the canonical columns (any may be missing). Other fields are kept with the
    record in `extra` (strings or numbers, at most 100 of them), not compared."""

    model_config = ConfigDict(extra="allow")

    record_id: Value | None = None
    source: Value | None = None
    first_name: Value | None = None
    last_name: Value | None = None
    dob: Value | None = None
    email: Value | None = None
    phone: Value | None = None
    street_number: Value | None = None
    address: Value | None = None
    address_2: Value | None = None
    city: Value | None = None
    zip: Value | None = None
    state: Value | None = None
    national_id: Value | None = None
    property_id: Value | None = None
    device_id: Value | None = None
    country: Value | None = None

    @model_validator(mode="after")
    def _bounded_extra(self) -> RecordIn:
        extra = self.model_extra or {}
        if len(extra) > MAX_EXTRA:
            raise ValueError(f"at most {MAX_EXTRA} fields besides the canonical ones, got "
                             f"{len(extra)}")
        for name, value in extra.items():
            if not isinstance(value, str | int | float) or isinstance(value, bool) or len(
                    str(value)) > MAX_VALUE_LENGTH or len(name) > MAX_VALUE_LENGTH:
                raise ValueError(f"{name[:40]}: an extra field holds a string or a number of "
                                 f"at most {MAX_VALUE_LENGTH} characters")
        return self


class ProblemOut(BaseModel):
    field: str
    message: str


class RecordLinked(BaseModel):
    """Where a record went. It is stored and linked: with the tenant's matching model, scored
    against its candidates (`merged` lists identities joined because the record links to them
    too); without one, by exact identifiers, close pairs queued for review by the shipped prior
    model. `problems` are the values nulled under the `null` policy (`policy` says which ran),
    `extra` the fields kept but not compared."""

    identity_id: str
    outcome: Literal["linked", "created", "queued", "unchanged"]
    record_id: str | None = None
    merged: list[str] = []
    problems: list[ProblemOut] = []
    policy: Literal["null", "reject"] = "null"
    extra: list[str] = []
    model_version: str | None = None


class MergeIn(Strict):
    """Merge `other` into `into`. A pair a reviewer marked as different people needs
    `override_cannot_link`, and the audit says it was overridden."""

    into: Value
    other: Value
    reason: Text
    override_cannot_link: bool = False


class UndoIn(Strict):
    reason: Text


class EventOut(BaseModel):
    event_id: str


class DecisionIn(Strict):
    decision: Literal["approve", "reject"]
    reason: Text


class DecisionOut(BaseModel):
    item_id: str
    status: str
    event_ids: list[str]


class ReviewItem(BaseModel):
    """A review item with both sides' summaries, its evidence, the reason code and its
    sentence, and whether an approval's merge was undone since."""

    model_config = ConfigDict(extra="allow")

    item_id: str
    kind: str | None
    status: str
    created_at: datetime | None
    reason: str
    reason_text: str
    evidence: dict[str, Any]
    match_probability: float | None
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None
    event_ids: list[str]
    identity_ids: list[str]
    sides: list[dict[str, Any]]
    undone: bool
    undone_by: list[str]
    record_ids: list[str]


class ReviewPage(BaseModel):
    """A page of the queue: items oldest first, where the next page starts, and how many
    items match the filter."""

    items: list[ReviewItem]
    next_offset: int | None
    total: int


class Step(BaseModel):
    """One bar of the waterfall (`matching.explain.Step`), described for the OpenAPI reader."""

    label: str = Field(description='"prior", a comparison\'s name, or "final".')
    kind: Literal["prior", "comparison", "final"]
    level: str | None = Field(description="The comparison level; null for prior and final.")
    weight: float = Field(description="The step's match weight in bits; the total for final.")
    start: float = Field(description="Running total before the step (0 for prior and final).")
    end: float = Field(description="Running total after the step.")
    probability: float = Field(description="Match probability at `end`.")


class WaterfallOut(BaseModel):
    """The pair's match-weight waterfall, scored now with the tenant's model (or the shipped
    prior while it has none)."""

    steps: list[Step]
    match_weight: float
    match_probability: float
    model_version: str | None


class ReviewItemOut(ReviewItem):
    """A review item with its waterfall (null, with `waterfall_note` saying why, when the
    item names no scored pair of stored records)."""

    waterfall: WaterfallOut | None
    waterfall_note: str | None = None


class MergeLog(BaseModel):
    events: list[dict[str, Any]]
    next_offset: int | None
