"""The roadmap's ExperimentsPlatform: create experiments from templates and assign properties."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from stormops.core.errors import InvalidInput, StormOpsError
from stormops.core.normalize import normalize_digits, normalize_token
from stormops.experiments.assignment import assign
from stormops.experiments.stats import (
    LiftEstimate,
    SRMResult,
    clustered_rate_difference,
    mean_difference,
    rate_difference,
    rate_ratio,
    srm_check,
)
from stormops.experiments.templates import ExperimentConfig, configure
from stormops.graph.experiments import ExperimentStore
from stormops.graph.storms import StormStore


@dataclass
class AssignmentSummary:
    """Arms of an experiment after an assignment run, with the sample-ratio check."""

    units: dict[str, int]
    properties: dict[str, int]
    srm: SRMResult | None  # None before any unit is assigned
    rejected: list[tuple[int, str]] = field(default_factory=list)


class ExperimentsPlatform:
    """Experiments of one tenant.

    Args:
        tenant: the tenant every call acts for.
        store: where experiments and arms live (`graph.experiments.ExperimentStore`).
        storms: where storms live (`graph.storms.StormStore`).

    Example:
        >>> platform = Services(settings).experiments("acme")  # stormops.services builds it
        >>> exp = platform.create_experiment("geo_split", {"name": "Hail DFW geo"})
        >>> platform.assign_properties(exp, [{"property_id": "P1", "zip": "75201"}]).units
        {'control': 1}
    """

    def __init__(self, tenant: str, *, store: ExperimentStore, storms: StormStore) -> None:
        self.tenant = tenant
        self.store = store
        self.storms = storms

    def create_experiment(self, template: str, config: Mapping[str, Any]) -> str:
        """Validate `config` against `template` and store it; returns the experiment id."""
        definition = configure(template, config)
        stored = {k: (list(v) if isinstance(v, tuple) else v)
                  for k, v in asdict(definition).items() if v is not None}
        return self.store.create(self.tenant, stored)

    def config(self, experiment_id: str) -> ExperimentConfig:
        return _definition(self.store.get(self.tenant, experiment_id))

    def assign_properties(
        self, experiment_id: str, properties: Sequence[Mapping[str, Any]]
    ) -> AssignmentSummary:
        """Assign properties to arms: by zip for geo designs, balanced within strata where
        the template stratifies, otherwise by each property's own hash.

        Rows without a property id (or, for geo designs, a zip) are reported and skipped.
        Re-running keeps every arm already given.
        """
        definition = self.config(experiment_id)
        units, strata, rows, rejected = {}, {}, [], []
        for pos, prop in enumerate(properties):
            try:
                property_id = normalize_token(prop.get("property_id"), "property_id")
                zip_code = normalize_digits(prop.get("zip"), "zip")
                if property_id is None:
                    raise InvalidInput("property_id: required", field="property_id")
                if definition.unit == "zip" and zip_code is None:
                    raise InvalidInput("zip: required by a geo design", field="zip")
            except StormOpsError as exc:
                rejected.append((pos, exc.message))
                continue
            unit = zip_code if definition.unit == "zip" else property_id
            units[property_id] = unit
            if definition.stratify_by:
                strata[unit] = str(prop.get(definition.stratify_by) or "")
            rows.append({"property_id": property_id, "zip": zip_code, "unit": unit})
        arms = assign(list(units.values()), definition.variants, definition.weights,
                      experiment_id, definition.salt, strata if definition.stratify_by else None)
        for row in rows:
            row["variant"] = arms[row["unit"]]
        if rows:
            self.store.record_assignments(self.tenant, experiment_id, rows)
        counts = self.store.arm_counts(self.tenant, experiment_id)
        return AssignmentSummary(
            units={v: c[0] for v, c in counts.items()},
            properties={v: c[1] for v, c in counts.items()},
            srm=_srm(definition, counts), rejected=rejected,
        )

    def assign_storm(self, experiment_id: str, storm_id: str | None = None
                     ) -> AssignmentSummary:
        """Assign every property the storm hit (`StormStore.impacted_properties`): no file
        needed. Zips come from the graph; a property's uplift band from the best uplift
        score of a journey there (high >= 0.3, medium >= 0.1, else low).

        Raises:
            NotFound: unknown experiment or storm. InvalidInput: no storm given or stored,
            one other than the experiment's, or a storm with no property to assign.
        """
        definition = self.config(experiment_id)
        storm = storm_id or definition.storm_id
        if not storm:
            raise InvalidInput("storm_id: the experiment has no storm; name one",
                               field="storm_id")
        if definition.storm_id and storm != definition.storm_id:
            raise InvalidInput(f"storm_id: the experiment runs in storm {definition.storm_id}, "
                               f"got {storm}", field="storm_id")
        properties = self.storms.impacted_properties(self.tenant, storm)
        if not properties:
            raise InvalidInput(f"storm_id: storm {storm} has no impacted property to assign",
                               field="storm_id")
        return self.assign_properties(experiment_id, [
            {"property_id": p["property_id"], "zip": p["zip"],
             "uplift_band": _uplift_band(p["uplift"])} for p in properties])

    def describe(self, experiment_id: str) -> dict[str, Any]:
        """The definition with units and properties per arm and the sample-ratio check.

        Raises:
            NotFound: unknown experiment.
        """
        stored = self.store.get(self.tenant, experiment_id)
        counts = self.store.arm_counts(self.tenant, experiment_id)
        return _described(stored, self.config(experiment_id), counts)

    def list_experiments(self, storm_id: str | None = None) -> list[dict[str, Any]]:
        """Every experiment of the tenant (of one storm when given), newest first, described
        as `describe` does."""
        out = []
        for stored in self.store.list(self.tenant, storm_id):
            counts = stored.pop("arms")
            out.append(_described(stored, _definition(stored), counts))
        return out

    def measure_lift(self, experiment_id: str, storm_id: str | None = None,
                     confidence: float = 0.95) -> dict[str, Any]:
        """Each arm against the control in one storm: conversion-rate difference, relative
        lift and revenue per unit, each with its interval, level and sample sizes, plus the
        sample-ratio check of the assignment.

        Geo designs compare zips, not properties: their intervals come from zip totals
        (delta method), since properties of one zip are not independent.

        `by_play` holds, per treated arm, the same difference among the properties where
        each play ran (the play of a journey there), so a play's contribution shows without a
        `policy_test`.

        Raises:
            NotFound: unknown experiment or storm; InvalidInput: no storm given or stored.
        """
        definition = self.config(experiment_id)
        storm = storm_id or definition.storm_id
        if not storm:
            raise InvalidInput("storm_id: the experiment has no storm; name one",
                               field="storm_id")
        self.storms.get(self.tenant, storm)
        rows = self.store.unit_outcomes(self.tenant, experiment_id, storm)
        arms = {v: [r for r in rows if r["variant"] == v] for v in definition.variants}
        control = arms[definition.control]
        units = [len({r["unit"] for r in arms[v]}) for v in definition.variants]
        clustered = definition.unit == "zip"
        report: dict[str, Any] = {
            "experiment_id": experiment_id, "template": definition.template,
            "name": definition.name, "storm_id": storm, "control": definition.control,
            "confidence": confidence,
            "arms": {v: _arm_summary(arms[v]) for v in definition.variants},
            "lifts": {}, "by_play": {},
            "srm": asdict(srm_check(units, definition.weights)) if sum(units) else None,
        }
        for variant in definition.variants:
            if variant == definition.control or min(len(arms[variant]), len(control)) < 2:
                continue  # an interval needs two properties in each arm
            report["lifts"][variant] = {
                name: estimate.to_dict()
                for name, estimate in _lifts(arms[variant], control, clustered,
                                             confidence).items()
            }
            # The same comparison among the properties where each play ran (a journey's play).
            report["by_play"][variant] = {
                play: _difference(treated, held, clustered, confidence).to_dict()
                for play in sorted({r["play"] for r in rows if r["play"]})
                if len(treated := [r for r in arms[variant] if r["play"] == play]) >= 2
                and len(held := [r for r in control if r["play"] == play]) >= 2
            }
        return report

    def get_confidence_interval(self, experiment_id: str, storm_id: str | None = None,
                                confidence: float = 0.95) -> tuple[float, float]:
        """The interval of the headline metric: the first arm's conversion-rate difference."""
        lifts = self.measure_lift(experiment_id, storm_id, confidence)["lifts"]
        if not lifts:
            raise InvalidInput("experiment_id: no arm has units to compare yet",
                               field="experiment_id")
        first = next(iter(lifts.values()))["difference"]
        return first["low"], first["high"]


def _definition(stored: Mapping[str, Any]) -> ExperimentConfig:
    fields = ExperimentConfig.__dataclass_fields__
    return ExperimentConfig(**{k: (tuple(v) if isinstance(v, list) else v)
                               for k, v in stored.items() if k in fields})


def _srm(definition: ExperimentConfig, counts: Mapping[str, tuple[int, int]]
         ) -> SRMResult | None:
    """The sample-ratio check of assignment units; None before any unit is assigned."""
    observed = [counts.get(v, (0, 0))[0] for v in definition.variants]
    return srm_check(observed, definition.weights) if sum(observed) else None


def _described(stored: Mapping[str, Any], definition: ExperimentConfig,
               counts: Mapping[str, tuple[int, int]]) -> dict[str, Any]:
    srm = _srm(definition, counts)
    return {**stored,
            "arms": {v: {"units": counts.get(v, (0, 0))[0],
                         "properties": counts.get(v, (0, 0))[1],
                         "weight": w} for v, w in zip(definition.variants, definition.weights,
                                                      strict=True)},
            "srm": asdict(srm) if srm else None}


def _uplift_band(uplift: float | None) -> str | None:
    if uplift is None:
        return None
    return "high" if uplift >= 0.3 else "medium" if uplift >= 0.1 else "low"


def _arm_summary(rows: list[dict]) -> dict[str, Any]:
    n = len(rows)
    conversions = sum(1 for r in rows if r["converted"])
    revenue = sum(r["revenue"] for r in rows)
    return {"properties": n, "units": len({r["unit"] for r in rows}),
            "conversions": conversions, "conversion_rate": conversions / n if n else None,
            "revenue_per_unit": revenue / n if n else None}


def _lifts(treated: list[dict], control: list[dict], clustered: bool,
           confidence: float) -> dict[str, LiftEstimate]:
    x_t = sum(1 for r in treated if r["converted"])
    x_c = sum(1 for r in control if r["converted"])
    return {
        "difference": _difference(treated, control, clustered, confidence),
        "relative": rate_ratio(x_t, len(treated), x_c, len(control), confidence=confidence),
        "revenue_per_unit": mean_difference([r["revenue"] for r in treated],
                                            [r["revenue"] for r in control],
                                            confidence=confidence),
    }


def _difference(treated: list[dict], control: list[dict], clustered: bool,
                confidence: float) -> LiftEstimate:
    """Conversion-rate difference; for a geo design, from zip totals."""
    x_t = sum(1 for r in treated if r["converted"])
    x_c = sum(1 for r in control if r["converted"])
    if clustered and min(len({r["unit"] for r in treated}), len({r["unit"] for r in control})) < 2:
        # One zip says nothing about how zips vary: the difference stands, its interval is
        # unbounded (JSON null) until each arm holds two zips or more.
        return LiftEstimate(
            "rate_difference", x_t / len(treated) - x_c / len(control), -math.inf, math.inf,
            confidence, len({r["unit"] for r in treated}), len({r["unit"] for r in control}),
            "cluster_delta_t_needs_two_clusters_per_arm")
    if clustered:
        return clustered_rate_difference(
            [float(r["converted"]) for r in treated], [r["unit"] for r in treated],
            [float(r["converted"]) for r in control], [r["unit"] for r in control],
            confidence=confidence)
    return rate_difference(x_t, len(treated), x_c, len(control), confidence=confidence)
