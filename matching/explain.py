"""Why a pair scores as it does, step by step: Splink's match-weight waterfall.

`waterfall` is the pure core (prior, then each comparison's weight added to a running total,
then the final weight and probability); `explain_pair` scores two stored records with a
model and draws that waterfall for them, so a reviewer sees the live reasoning for the pair
under review rather than a copy made when it was queued.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np

from stormops.matching._fellegi_sunter import probability
from stormops.matching.model import MatchingModel
from stormops.matching.normalize import CANONICAL_COLUMNS, with_derived

__all__ = ["Comparison", "Step", "Waterfall", "explain_pair", "waterfall"]


@dataclass(frozen=True)
class Comparison:
    """One comparison of a pair: its name, the level the pair fell in, its weight in bits
    (term-frequency adjustment included)."""

    name: str
    level: str
    weight: float


@dataclass(frozen=True)
class Step:
    """One bar of the waterfall.

    Attributes:
        label: "prior", a comparison's name, or "final".
        kind: prior | comparison | final.
        level: the comparison level (None for the prior and the total).
        weight: this step's weight in bits (for final: the total).
        start: the running total before the step (bits; 0 for prior and final).
        end: the running total after it.
        probability: the match probability at `end`.
    """

    label: str
    kind: Literal["prior", "comparison", "final"]
    level: str | None
    weight: float
    start: float
    end: float
    probability: float


@dataclass(frozen=True)
class Waterfall:
    """A pair's match-weight waterfall.

    Attributes:
        steps: prior, the comparisons in model order, final.
        match_weight: the total weight in bits.
        match_probability: 2^w / (1 + 2^w).
        model_version: the model that scored the pair (None when given weights directly).
    """

    steps: tuple[Step, ...]
    match_weight: float
    match_probability: float
    model_version: str | None = None

    def rows(self) -> list[dict[str, Any]]:
        """The steps as JSON-ready dicts (what the API sends and the chart draws)."""
        return [asdict(step) for step in self.steps]


def _probability(weight: float) -> float:
    return float(probability(np.array(weight)))


def waterfall(prior_weight: float, comparisons: Sequence[Comparison], *,
              model_version: str | None = None) -> Waterfall:
    """Build the waterfall from the prior and each comparison's weight.

    Args:
        prior_weight: log2 odds of the prior probability that two random records match.
        comparisons: the compared (non-missing) comparisons in model order.
        model_version: the model the weights come from, carried along.

    Returns:
        A Waterfall whose last step's `end` is prior_weight + sum of weights.

    Example:
        >>> w = waterfall(-10.0, [Comparison("email", "exact", 12.0)])
        >>> [s.end for s in w.steps], round(w.match_probability, 3)
        ([-10.0, 2.0, 2.0], 0.8)
    """
    if not np.isfinite(prior_weight):
        raise ValueError(f"prior_weight must be finite, got {prior_weight}")
    steps = [Step("prior", "prior", None, prior_weight, 0.0, prior_weight,
                  _probability(prior_weight))]
    total = prior_weight
    for comparison in comparisons:
        start, total = total, total + comparison.weight
        steps.append(Step(comparison.name, "comparison", comparison.level, comparison.weight,
                          start, total, _probability(total)))
    steps.append(Step("final", "final", None, total, 0.0, total, _probability(total)))
    return Waterfall(tuple(steps), total, _probability(total), model_version)


def explain_pair(model: MatchingModel, left: Mapping[str, Any], right: Mapping[str, Any]
                 ) -> Waterfall:
    """Score two records with `model` and return their waterfall.

    Args:
        model: a trained (or loaded) matching model.
        left: one record's stored columns (extra keys are ignored).
        right: the other's.

    Example:
        >>> explain_pair(model, record_a, record_b).match_probability  # doctest: +SKIP
        0.97
    """
    scorer = model.scorer()
    scores = scorer.score(_record(left), [_record(right)])
    parameters = scorer.parameters
    compared = [Comparison(comparison.name, comparison.labels[int(level)], float(weight))
                for comparison, level, weight in zip(
                    parameters.comparisons, scores.gamma[0], scores.contribution[0],
                    strict=True) if level >= 0]
    return waterfall(parameters.prior_weight, compared, model_version=model.model_version)


def _record(stored: Mapping[str, Any]) -> dict[str, str | None]:
    """A stored record as the scorer reads it: canonical columns and derived ones."""
    return with_derived({column: stored.get(column) for column in CANONICAL_COLUMNS})
