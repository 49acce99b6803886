"""Online scoring: one new record against a handful of candidates, with a saved model.

No Splink linker is built per call, and no database is queried. The comparison levels come
from the saved model's own SQL conditions, compiled once into Python predicates
(`matching._sql_eval`, with DuckDB-exact string functions from `matching._strings`), so they
are exactly the levels Splink computes; the Fellegi-Sunter sum, term-frequency adjustments
included, is a numpy computation over those levels (`matching._fellegi_sunter`). Scores agree
with Splink's batch `predict` on the same pairs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from stormops.matching._fellegi_sunter import combine, probability
from stormops.matching._parameters import ModelParameters, evidence
from stormops.matching._rules import DecisionRule, PairDecisions, decide
from stormops.matching._sql_eval import Predicate, compile_condition
from stormops.matching._strings import jaro_winkler_similarity

__all__ = ["PairScores", "Scorer"]


@dataclass(frozen=True)
class PairScores:
    """Scored pairs, in order: online, one record against its candidates (candidate order
    kept); for a batch, `Predictions` adds which records each pair joins.

    Attributes:
        match_weight: shape (n,), bits.
        match_probability: shape (n,).
        gamma: shape (n, k), comparison levels (-1 = missing).
        contribution: shape (n, k), bits per comparison, TF adjustments included.
        decisions: link / review / conflict per candidate (see `matching._rules`).
        parameters: the model parameters used, for labels.
    """

    match_weight: np.ndarray
    match_probability: np.ndarray
    gamma: np.ndarray
    contribution: np.ndarray
    decisions: PairDecisions
    parameters: ModelParameters

    def __len__(self) -> int:
        """Number of candidates scored."""
        return len(self.match_weight)

    def evidence(self, candidate: int) -> dict[str, Any]:
        """Why candidate `candidate` scored as it did (see `matching._parameters.evidence`).

        Args:
            candidate: position of the candidate in the scored list.

        Returns:
            JSON-ready evidence: match weight and probability, deterministic flag, and per
            comparison the level and weight.

        Example:
            >>> scores.evidence(0)["comparisons"]["first_name"]  # doctest: +SKIP
            {'level': 'exact', 'weight': 8.7}
        """
        return evidence(self.parameters, self.gamma[candidate], self.contribution[candidate],
                        float(self.match_weight[candidate]),
                        bool(self.decisions.deterministic[candidate]))


class Scorer:
    """Scores records against candidates with a trained model's parameters.

    Built by `MatchingModel.scorer()`; cheap to call many times (about 0.2 ms for a record
    and ten candidates). Immutable apart from a bounded cache of string similarities, so one
    scorer can serve many threads.

    Example:
        >>> scorer = model.scorer()  # doctest: +SKIP
        >>> scores = scorer.score(new_record, candidate_records)  # doctest: +SKIP
        >>> scores.decisions.status  # doctest: +SKIP
        array([2, 0], dtype=int8)
    """

    def __init__(
        self,
        parameters: ModelParameters,
        term_frequencies: Mapping[str, Mapping[str, float]],
        rule: DecisionRule,
    ) -> None:
        """Compile the level conditions and keep the lookups.

        Args:
            parameters: the model's parameters (`matching._parameters.read_parameters`).
            term_frequencies: per TF column, value -> term frequency, as saved with the model.
            rule: the decision rule (thresholds) to classify pairs with.

        Raises:
            InvalidInput: a level condition uses SQL the scorer cannot evaluate.
        """
        self.parameters = parameters
        self.rule = rule
        self._term_frequencies = term_frequencies
        self._tf_columns = tuple(dict.fromkeys(level.column for level in parameters.tf_levels))
        jaro_winkler = lru_cache(maxsize=100_000)(jaro_winkler_similarity)
        self._levels = [
            [(gamma, None if sql is None else compile_condition(sql, jaro_winkler))
             for gamma, sql in comparison.conditions]
            for comparison in parameters.comparisons
        ]

    def score(
        self,
        record: Mapping[str, str | None],
        candidates: Sequence[Mapping[str, str | None]],
    ) -> PairScores:
        """Score `record` against each candidate.

        Args:
            record: a normalized record (`matching.normalize`); missing keys count as null.
            candidates: normalized candidate records.

        Returns:
            PairScores in candidate order.

        Example:
            >>> scorer.score(record, [same_person, housemate]).decisions.status  # doctest: +SKIP
            array([2, 0], dtype=int8)
        """
        gamma = np.array([[self._level(levels, record, candidate) for levels in self._levels]
                          for candidate in candidates], dtype=np.int8
                         ).reshape(len(candidates), len(self._levels))
        n = len(candidates)
        tf_left = {column: np.full(n, self._frequency(column, record.get(column)))
                   for column in self._tf_columns}
        tf_right = {column: np.array([self._frequency(column, candidate.get(column))
                                      for candidate in candidates], dtype=float)
                    for column in self._tf_columns}
        match_weight, contribution = combine(
            gamma, self.parameters.level_weights, self.parameters.prior_weight,
            self.parameters.tf_levels, tf_left, tf_right)
        return PairScores(
            match_weight=match_weight,
            match_probability=probability(match_weight),
            gamma=gamma,
            contribution=contribution,
            decisions=decide(self.rule, match_weight, contribution, gamma),
            parameters=self.parameters,
        )

    @staticmethod
    def _level(
        levels: list[tuple[int, Predicate | None]],
        left: Mapping[str, str | None],
        right: Mapping[str, str | None],
    ) -> int:
        """The first level whose condition holds (SQL CASE semantics: NULL is not true)."""
        for gamma, condition in levels:
            if condition is None or condition(left, right) is True:
                return gamma
        raise ValueError("comparison without an else level")

    def _frequency(self, column: str, value: str | None) -> float:
        """Saved term frequency of a value; NaN when null or unseen (no adjustment)."""
        if value is None:
            return float("nan")
        return self._term_frequencies[column].get(value, float("nan"))
