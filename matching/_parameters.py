"""A trained Splink model read into plain arrays: what scoring and the decision rule need.

Splink's own objects compute each level's weight and TF constants, so the numbers are the ones
Splink's `predict` uses; the SQL conditions are kept verbatim to compute the same levels.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from splink import SettingsCreator
from splink.internals.misc import prob_to_match_weight

from stormops.matching._fellegi_sunter import TfLevel, probability
from stormops.matching._rules import DecisionRule
from stormops.matching._settings import (
    CONFLICT_COMPARISONS,
    HOME_LEVELS,
    NEAR_NAME_LEVELS,
    PERSON_COMPARISONS,
    PHONE_LEVELS,
    STRONG_IDENTIFIERS,
    MatchSettings,
)


@dataclass(frozen=True)
class ComparisonParameters:
    """One comparison: how to compute its level, and what each level is called.

    Attributes:
        name: output column name (e.g. "first_name").
        conditions: (gamma value, SQL condition over `<column>_l` / `<column>_r`) per level,
            in evaluation order; the first true condition gives the level; None is the
            else level.
        input_columns: record columns the SQL reads.
        labels: gamma value -> level label ("exact", "typo", ..., "missing").
        weights: gamma value -> level weight in bits (TF adjustment not included).
    """

    name: str
    conditions: tuple[tuple[int, str | None], ...]
    input_columns: tuple[str, ...]
    labels: dict[int, str]
    weights: dict[int, float]


@dataclass(frozen=True)
class ModelParameters:
    """Everything needed to score pairs without Splink.

    Attributes:
        comparisons: in model order (the comparison axis of gamma/contribution arrays).
        level_weights: shape (k, L + 1), see `_fellegi_sunter.combine`.
        prior_weight: log2 odds of lambda.
        tf_levels: the levels with term-frequency adjustments.
    """

    comparisons: tuple[ComparisonParameters, ...]
    level_weights: np.ndarray
    prior_weight: float
    tf_levels: tuple[TfLevel, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Comparison names, in order."""
        return tuple(comparison.name for comparison in self.comparisons)

    @property
    def input_columns(self) -> tuple[str, ...]:
        """Every record column some comparison reads, in first-use order."""
        seen: dict[str, None] = {}
        for comparison in self.comparisons:
            seen.update(dict.fromkeys(comparison.input_columns))
        return tuple(seen)

    def decision_rule(self, settings: MatchSettings) -> DecisionRule:
        """The pair decision rule for these comparisons under `settings`' thresholds."""
        names = self.names
        strong = tuple(
            (names.index(name), _exact_gamma(self.comparisons[names.index(name)]))
            for name in STRONG_IDENTIFIERS if name in names
        )
        home: tuple[int, tuple[int, ...]] | None = None
        weak: tuple[tuple[int, int], ...] = ()
        weak_with: tuple[int, ...] = ()
        if settings.strict_households and {"place", "first_name"} <= set(names):
            place, first = names.index("place"), names.index("first_name")
            home = (place, self._levels(place, HOME_LEVELS))
            weak = tuple((first, level) for level in self._levels(first, NEAR_NAME_LEVELS))
            weak_with = tuple(names.index(name) for name in ("household",) if name in names)
        return DecisionRule(
            auto_weight=settings.auto_link_weight,
            review_weight=settings.review_weight,
            min_person_weight=settings.min_person_weight,
            conflict_weight=settings.conflict_weight,
            person=tuple(names.index(name) for name in PERSON_COMPARISONS if name in names),
            against=tuple(names.index(name) for name in CONFLICT_COMPARISONS if name in names),
            strong_exact=strong,
            home=home,
            weak_at_home=weak,
            weak_with=weak_with,
            shared_phone=(names.index("place"), self._levels(names.index("place"), PHONE_LEVELS))
            if settings.household_terms and {"place", "first_name"} <= set(names) else None,
        )

    def _levels(self, comparison: int, labels: tuple[str, ...]) -> tuple[int, ...]:
        """Gamma values of a comparison's levels with the given labels."""
        return tuple(gamma for gamma, label in self.comparisons[comparison].labels.items()
                     if label in labels)


def _exact_gamma(comparison: ComparisonParameters) -> int:
    """Gamma value of the comparison's level labelled "exact"."""
    return next(gamma for gamma, label in comparison.labels.items() if label == "exact")


def read_parameters(splink_model: dict[str, Any]) -> ModelParameters:
    """ModelParameters of a trained Splink settings dict (as saved in a model file)."""
    settings = SettingsCreator.from_path_or_dict(copy.deepcopy(splink_model)).get_settings(
        "duckdb")
    comparisons: list[ComparisonParameters] = []
    tf_levels: list[TfLevel] = []
    for index, comparison in enumerate(settings.comparisons):
        levels = comparison.comparison_levels
        columns: dict[str, None] = {}
        for level in levels:
            columns.update(dict.fromkeys(
                column.unquote().name for column in level._input_columns_used_by_sql_condition))
        comparisons.append(ComparisonParameters(
            name=comparison.output_column_name,
            conditions=tuple(
                (level.comparison_vector_value,
                 None if level._is_else_level else level.sql_condition)
                for level in levels),
            input_columns=tuple(columns),
            labels={level.comparison_vector_value: level.label_for_charts for level in levels},
            weights={level.comparison_vector_value: float(level._match_weight)
                     for level in levels},
        ))
        for level in levels:
            if (level._has_tf_adjustments and level._tf_adjustment_weight != 0
                    and not level.is_null_level and not level._is_else_level):
                u_exact = level._u_probability_corresponding_to_exact_match(levels)
                tf_levels.append(TfLevel(
                    comparison=index,
                    gamma=level.comparison_vector_value,
                    column=level._tf_adjustment_input_column_name,
                    weight=float(level._tf_adjustment_weight),
                    log2_u_exact=math.log2(u_exact),
                    min_u=float(level._tf_minimum_u_value),
                ))
    width = 1 + max(max(c.weights) for c in comparisons)
    level_weights = np.zeros((len(comparisons), width + 1))
    for index, comparison in enumerate(comparisons):
        for gamma, weight in comparison.weights.items():
            level_weights[index, gamma + 1] = weight
    return ModelParameters(
        comparisons=tuple(comparisons),
        level_weights=level_weights,
        prior_weight=float(prob_to_match_weight(
            settings.core_model_settings.probability_two_random_records_match)),
        tf_levels=tuple(tf_levels),
    )


def _digest(splink_model: Mapping[str, Any]) -> str:
    """A digest of a Splink settings dict, so stored parameters are used only with it."""
    text = json.dumps(splink_model, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def parameters_document(parameters: ModelParameters,
                        splink_model: Mapping[str, Any]) -> dict[str, Any]:
    """`parameters` as JSON, with the digest of the Splink settings they were read from.

    Saved in the model file: reading them back (`stored_parameters`) spares a service the
    Splink settings objects on the first record after a model is trained (about 0.3 s).
    """
    return {
        "splink_digest": _digest(splink_model),
        "comparisons": [
            {"name": c.name, "conditions": [list(pair) for pair in c.conditions],
             "input_columns": list(c.input_columns),
             "labels": {str(g): label for g, label in c.labels.items()},
             "weights": {str(g): weight for g, weight in c.weights.items()}}
            for c in parameters.comparisons],
        "level_weights": parameters.level_weights.tolist(),
        "prior_weight": parameters.prior_weight,
        "tf_levels": [asdict(level) for level in parameters.tf_levels],
    }


def stored_parameters(document: Mapping[str, Any] | None,
                      splink_model: Mapping[str, Any]) -> ModelParameters | None:
    """The parameters `parameters_document` saved, or None when there are none or they were
    read from other Splink settings (the file's settings were edited since)."""
    if not document or document.get("splink_digest") != _digest(splink_model):
        return None
    return ModelParameters(
        comparisons=tuple(
            ComparisonParameters(
                name=c["name"],
                conditions=tuple((int(gamma), sql) for gamma, sql in c["conditions"]),
                input_columns=tuple(c["input_columns"]),
                labels={int(g): label for g, label in c["labels"].items()},
                weights={int(g): float(w) for g, w in c["weights"].items()})
            for c in document["comparisons"]),
        level_weights=np.array(document["level_weights"], dtype=float),
        prior_weight=float(document["prior_weight"]),
        tf_levels=tuple(TfLevel(**level) for level in document["tf_levels"]),
    )


def evidence(
    parameters: ModelParameters,
    gamma: np.ndarray,
    contribution: np.ndarray,
    match_weight: float,
    deterministic: bool,
) -> dict[str, Any]:
    """Why a pair scored as it did: per comparison, the level it fell in and its weight.

    Args:
        parameters: the model's parameters.
        gamma: shape (k,), the pair's levels.
        contribution: shape (k,), the pair's per-comparison weights (bits, TF included).
        match_weight: the pair's total match weight.
        deterministic: whether an exact strong identifier links the pair.

    Returns:
        JSON-ready dict: match_weight, match_probability, deterministic, and comparisons
        mapping each compared (non-missing) comparison to {"level", "weight"}.
    """
    compared = {
        comparison.name: {"level": comparison.labels[int(level)], "weight": round(float(w), 3)}
        for comparison, level, w in zip(parameters.comparisons, gamma, contribution, strict=True)
        if level >= 0
    }
    return {
        "match_weight": round(float(match_weight), 3),
        "match_probability": float(probability(np.array(match_weight))),
        "deterministic": bool(deterministic),
        "comparisons": compared,
    }
