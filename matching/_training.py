"""Unsupervised training of the Splink model: lambda, u, m, then bounded parameters.

- lambda (the probability two random records match) from the deterministic keys, scaled by
  their assumed recall;
- u by random sampling;
- m by EM on blocks that admit no housemates (same birth date; same first and last name), so
  EM's "match" class is people, not households;
- then every level is bounded: a level EM never saw is made neutral (m = u), and no m goes
  below min(u, 0.001), so a single disagreement costs at most ~10 bits and a level observed
  only among non-matches cannot turn a coincidence into strong negative evidence.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from splink import Linker
from splink.internals.exceptions import EMTrainingException

from stormops.core.errors import NothingToLearn
from stormops.matching._settings import (
    LinkType,
    MatchSettings,
    block_sql,
    deterministic_keys,
    splink_settings,
    training_key_candidates,
)
from stormops.matching._splink import duckdb_api, quiet_splink, register_tables

M_FLOOR = 0.001


@dataclass(frozen=True)
class TrainedParameters:
    """What training produced: the Splink model, term frequencies and a report."""

    splink: dict[str, Any]
    term_frequencies: dict[str, dict[str, float]]
    report: dict[str, Any]


def train(
    tables: Sequence[pa.Table], settings: MatchSettings, columns: set[str], link_type: LinkType
) -> TrainedParameters:
    """Train a model on one table (dedupe) or two (link).

    Raises:
        NothingToLearn: no exact duplicates to learn from, or Splink could not estimate the
            parameters from so little or so uniform data.
    """
    with quiet_splink():
        try:
            return _train(tables, settings, columns, link_type)
        except (EMTrainingException, ValueError) as exc:
            raise NothingToLearn(f"the data is too small or too uniform to train on: {exc}"
                                 ) from None


def _train(
    tables: Sequence[pa.Table], settings: MatchSettings, columns: set[str], link_type: LinkType
) -> TrainedParameters:
    """`train` without the log filter."""
    db_api = duckdb_api()
    linker = Linker(register_tables(db_api, tables), splink_settings(settings, columns, link_type),
                    log_level=None)
    training = linker.training
    rules = [block_sql(key) for key in deterministic_keys(columns)]
    if rules:
        training.estimate_probability_two_random_records_match(
            rules, recall=settings.deterministic_recall)
        if not linker._settings_obj._probability_two_random_records_match > 0:
            raise NothingToLearn(
                "no two records share an email, national id, device, or name and birth date: "
                "there is no match to learn from (a single file without duplicates); train "
                "on data with duplicates, or add more records first")
    training.estimate_u_using_random_sampling(max_pairs=settings.u_max_pairs, seed=settings.seed)
    em_keys = _em_keys(linker, columns)
    for key in em_keys:
        training.estimate_parameters_using_expectation_maximisation(
            block_sql(key), max_pairs=settings.em_max_pairs)
    model = linker.misc.save_model_to_json()
    adjusted = _bound_parameters(model)
    frequencies = {
        column: _term_frequencies(linker, column)
        for column in sorted(_tf_columns(model))
    }
    report = {
        "records": sum(table.num_rows for table in tables),
        "probability_two_random_records_match": model["probability_two_random_records_match"],
        "deterministic_rules": rules,
        "em_blocks": [block_sql(key) for key in em_keys],
        "adjusted_levels": adjusted,
        "levels": _levels(model),
    }
    return TrainedParameters(splink=model, term_frequencies=frequencies, report=report)


def _em_keys(linker: Linker, columns: set[str]) -> list[tuple[str, ...]]:
    """EM blocks: at least two where possible, until every comparison is estimated by one."""
    used = {
        comparison.output_column_name: {
            column.unquote().name
            for level in comparison.comparison_levels
            for column in level._input_columns_used_by_sql_condition
        }
        for comparison in linker._settings_obj.comparisons
    }
    uncovered = set(used)
    chosen: list[tuple[str, ...]] = []
    for key in training_key_candidates(columns):
        covers = {name for name in uncovered if not used[name] & set(key)}
        if covers or len(chosen) < 2:
            chosen.append(key)
            uncovered -= covers
        if not uncovered and len(chosen) >= 2:
            break
    return chosen


def _bound_parameters(model: dict[str, Any]) -> list[str]:
    """Make unobserved levels neutral and floor m; returns what was changed."""
    changed: list[str] = []
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            name = f'{comparison["output_column_name"]}: {level["label_for_charts"]}'
            m, u = level.get("m_probability"), level.get("u_probability")
            if m is None or u is None:
                known = m if u is None else u
                level["m_probability"] = level["u_probability"] = 0.5 if known is None else known
                changed.append(f"{name}: not observed in training, made neutral")
                continue
            floor = min(u, M_FLOOR)
            if m < floor:
                level["m_probability"] = floor
                changed.append(f"{name}: m {m:.2e} raised to {floor:.2e}")
    return changed


def _levels(model: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """Per comparison and level: m, u, the weight in bits, and whether m and u were set
    rather than learned (the household term's)."""
    return {
        comparison["output_column_name"]: {
            level["label_for_charts"]: {
                "m": level["m_probability"], "u": level["u_probability"],
                "weight": round(math.log2(level["m_probability"] / level["u_probability"]), 3),
                "set": bool(level.get("fix_m_probability") and level.get("fix_u_probability")),
            }
            for level in comparison["comparison_levels"] if not level.get("is_null_level")
        }
        for comparison in model["comparisons"]
    }


def _tf_columns(model: dict[str, Any]) -> set[str]:
    """Columns some level adjusts by term frequency."""
    return {
        level["tf_adjustment_column"]
        for comparison in model["comparisons"]
        for level in comparison["comparison_levels"]
        if level.get("tf_adjustment_column")
    }


def _term_frequencies(linker: Linker, column: str) -> dict[str, float]:
    """value -> share of non-null values, as Splink computes it for TF adjustments."""
    table = linker.table_management.compute_tf_table(column).as_pyarrow_table()
    values = table.column(column).to_pylist()
    shares = table.column(f"tf_{column}").to_pylist()
    return dict(sorted(zip(values, shares, strict=True)))
