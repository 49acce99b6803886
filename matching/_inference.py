"""Batch prediction with Splink: blocked pairs, their levels, weights and decisions."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pyarrow as pa
from splink import Linker

from stormops.matching._parameters import ModelParameters
from stormops.matching._rules import DecisionRule, decide
from stormops.matching._splink import (
    TABLE_NAMES,
    DuckDBEngine,
    Engine,
    quiet_splink,
    register_tables,
)
from stormops.matching.normalize import RECORD_COLUMNS
from stormops.matching.scoring import PairScores

_SCHEMA = pa.schema([(column, pa.string()) for column in RECORD_COLUMNS])


def records_table(records: Sequence[Mapping[str, str | None]]) -> pa.Table:
    """Normalized records as an Arrow table with every record column (missing -> null)."""
    return pa.Table.from_pylist(list(records), schema=_SCHEMA)


@dataclass(frozen=True)
class Predictions(PairScores):
    """Every blocked pair of a batch, scored: the scores of `PairScores`, and which records
    each pair joins.

    Records are numbered by position: the first table's records, then (when linking two
    tables) the second's. Pair arrays have shape (n_pairs,), per-comparison arrays
    (n_pairs, k) in the order of `parameters.comparisons`.

    Attributes:
        records: the normalized records by position (the inputs, not copies).
        record_ids: shape (n_records,), object; record_id by position.
        n_left: number of records in the first table (all of them when deduplicating).
        left: record position of each pair's first record.
        right: record position of each pair's second record.
        model_version: version of the model that scored the pairs.
    """

    records: Sequence[Mapping[str, str | None]]
    record_ids: np.ndarray
    n_left: int
    left: np.ndarray
    right: np.ndarray
    model_version: str

    @property
    def link_only(self) -> bool:
        """Whether these are links between two tables rather than within one."""
        return self.n_left < len(self.record_ids)

    def evidence(self, pair: int) -> dict[str, Any]:
        """Why pair `pair` scored as it did, with the model version.

        Args:
            pair: index of the pair.

        Returns:
            JSON-ready evidence (see `matching._parameters.evidence`) plus model_version.

        Example:
            >>> predictions.evidence(0)["comparisons"]["dob"]  # doctest: +SKIP
            {'level': 'exact', 'weight': 12.2}
        """
        return {**super().evidence(pair), "model_version": self.model_version}


def predict(
    splink_model: dict[str, Any],
    term_frequencies: Mapping[str, Mapping[str, float]],
    parameters: ModelParameters,
    rule: DecisionRule,
    model_version: str,
    records: Sequence[Sequence[Mapping[str, str | None]]],
    engine: Engine | None = None,
) -> Predictions:
    """Score every blocked pair of one table of records (dedupe) or between two (link), on
    `engine` (DuckDB in this process when None)."""
    tables = [records_table(part) for part in records]
    if len(tables) > 1:
        # Two duplicate-free files: links are one-to-one, and the competition between
        # candidates does what the high threshold does within one file.
        rule = replace(rule, auto_weight=rule.review_weight)
    with quiet_splink():
        return _predict(engine or DuckDBEngine(), splink_model, term_frequencies, parameters,
                        rule, model_version, tables,
                        [record for part in records for record in part])


def _predict(
    engine: Engine,
    splink_model: dict[str, Any],
    term_frequencies: Mapping[str, Mapping[str, float]],
    parameters: ModelParameters,
    rule: DecisionRule,
    model_version: str,
    tables: Sequence[pa.Table],
    records: Sequence[Mapping[str, str | None]],
) -> Predictions:
    """`predict` without the log filter: Splink predict, then the arrays read back."""
    settings = copy.deepcopy(engine.settings(splink_model))
    settings["link_type"] = "link_only" if len(tables) > 1 else "dedupe_only"
    settings["retain_matching_columns"] = True
    settings["retain_intermediate_calculation_columns"] = True
    db_api = engine.api()
    linker = Linker(register_tables(db_api, tables), settings, log_level=None)
    for column, frequencies in term_frequencies.items():
        lookup = pa.table({column: pa.array(list(frequencies), pa.string()),
                           f"tf_{column}": pa.array(list(frequencies.values()), pa.float64())})
        linker.table_management.register_term_frequency_lookup(
            db_api.register(lookup, table_name=f"tf_lookup_{column}"), column)
    predicted = linker.inference.predict(warning_mode="never")
    ids = pa.table({
        "source_dataset": [name for name, table in zip(TABLE_NAMES, tables, strict=False)
                           for _ in range(table.num_rows)],
        "record_id": pa.concat_arrays([table.column("record_id").combine_chunks()
                                       for table in tables]),
        "position": np.arange(sum(table.num_rows for table in tables)),
    })
    db_api.register(ids, table_name="record_positions")
    same_source = ("" if len(tables) == 1 else
                   " AND p.source_dataset_{side} = {side}.source_dataset")
    joins = " ".join(
        f"JOIN record_positions AS {side} ON p.record_id_{side} = {side}.record_id"
        + same_source.format(side=side) for side in ("l", "r"))
    selected = ["l.position AS left_position", "r.position AS right_position",
                "p.match_weight", "p.match_probability"]
    for comparison in parameters.comparisons:
        name = comparison.name
        tf = any(parameters.comparisons[level.comparison].name == name
                 for level in parameters.tf_levels)
        selected.append(f"p.gamma_{name}")
        selected.append(f"p.mw_{name}" + (f" + p.mw_tf_adj_{name}" if tf else "")
                        + f" AS contribution_{name}")
    result = engine.fetch(
        db_api, f"SELECT {', '.join(selected)} FROM {predicted.physical_name} AS p {joins} "
        "ORDER BY left_position, right_position")
    gamma = np.column_stack([np.asarray(result[f"gamma_{c.name}"], dtype=np.int8)
                             for c in parameters.comparisons])
    contribution = np.column_stack([np.asarray(result[f"contribution_{c.name}"], dtype=float)
                                    for c in parameters.comparisons])
    match_weight = np.asarray(result["match_weight"], dtype=float)
    return Predictions(
        records=records,
        record_ids=np.asarray(ids.column("record_id").to_pylist(), dtype=object),
        n_left=tables[0].num_rows,
        left=np.asarray(result["left_position"], dtype=np.int64),
        right=np.asarray(result["right_position"], dtype=np.int64),
        match_weight=match_weight,
        match_probability=np.asarray(result["match_probability"], dtype=float),
        gamma=gamma,
        contribution=contribution,
        decisions=decide(rule, match_weight, contribution, gamma),
        parameters=parameters,
        model_version=model_version,
    )
