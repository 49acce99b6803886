"""Batch prediction on Spark: the same trained model, its pairs scored by Splink's Spark
backend, for batches past one machine.

Only this module imports pyspark, so the CLI and the DuckDB path never load it. The model's
SQL is written for DuckDB (the dialect it trains in); `spark_settings` rewrites each level's
condition and each blocking rule into Spark SQL. DuckDB's `jaro_winkler_similarity` and
`damerau_levenshtein` run on Spark as vectorized Python functions with DuckDB's exact
semantics (`matching._strings`, which the online scorer uses too), not as the Scala functions
of the jar shipped with Splink: that jar's Jaro-Winkler counts transpositions differently
(clarence/clarxnce 0.907 against DuckDB's 0.921, dana/andrea 0.764 against 0.806), which
moved pairs across the 0.92 and 0.8 levels and so changed identities. Those functions
travel to the workers by value, so a cluster's workers need pandas and pyarrow, not this
package.

Spark scores the pairs; clustering stays in the driver process: links are applied strongest
first and refused across a conflict, an order-dependent walk that does not split across
partitions, over the scored pairs only (a small fraction of the records' size). Writing the
identities stays in the graph layer, batch by batch from the driver process too, so a run
writes through one Neo4j driver, in the order `graph._pipeline.write_in_order` keeps, not
from a driver per partition racing for the same identities' locks.
"""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from pyspark import cloudpickle
from pyspark.sql import SparkSession
from pyspark.sql.functions import pandas_udf
from pyspark.sql.types import DoubleType, LongType
from splink.backends.spark import SparkAPI
from splink.internals.database_api import DatabaseAPI
from sqlglot import exp

from stormops.matching import _strings
from stormops.matching._strings import damerau_levenshtein, jaro_winkler_similarity

cloudpickle.register_pickle_by_value(_strings)

LOCAL_MASTER = "local[2]"

# A small footprint for local mode: one driver, few shuffle partitions, no UI, bound to the
# loopback interface (nothing listens beyond this machine). The driver's heap is a ceiling,
# not an allocation: 1g ran out on 50k records' blocked pairs; 4g holds them.
_LOCAL_CONF = {
    "spark.driver.memory": "4g",
    "spark.sql.shuffle.partitions": "4",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
}
_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}
# DuckDB functions sqlglot writes in a form Spark SQL lacks, and the names they run under.
_FUNCTIONS = {exp.JarowinklerSimilarity: "jaro_winkler_similarity",
              exp.ArrayOverlaps: "arrays_overlap"}


def _pairwise(function: Callable[[str, str], float], dtype: str) -> Callable[..., pd.Series]:
    """`function` over two string columns, null where either value is (as in DuckDB)."""
    def apply(left: pd.Series, right: pd.Series) -> pd.Series:
        return pd.Series([function(a, b) if isinstance(a, str) and isinstance(b, str) else None
                          for a, b in zip(left, right, strict=True)], dtype=dtype)
    return apply


_UDFS = {
    "jaro_winkler_similarity": pandas_udf(_pairwise(jaro_winkler_similarity, "Float64"),
                                          DoubleType()),
    "damerau_levenshtein": pandas_udf(_pairwise(damerau_levenshtein, "Int64"), LongType()),
}


def _to_spark(sql: str) -> str:
    """One DuckDB condition as Spark SQL."""
    def rename(node: exp.Expression) -> exp.Expression:
        name = _FUNCTIONS.get(type(node))
        if name is None:
            return node
        return exp.Anonymous(this=name, expressions=[node.this, node.expression])
    return exp.maybe_parse(sql, dialect="duckdb").transform(rename).sql(dialect="spark")


def spark_settings(splink_model: dict[str, Any]) -> dict[str, Any]:
    """The trained Splink settings with every condition and blocking rule in Spark SQL.

    Example:
        >>> spark_settings(model._state.splink)["comparisons"][0]["comparison_levels"][2]
        ... # doctest: +SKIP
        {'sql_condition': 'JARO_WINKLER_SIMILARITY(`first_name_l`, `first_name_r`) >= 0.92', ...}
    """
    settings = copy.deepcopy(splink_model)
    settings["sql_dialect"] = "spark"
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level["sql_condition"] != "ELSE":
                level["sql_condition"] = _to_spark(level["sql_condition"])
    for rule in settings["blocking_rules_to_generate_predictions"]:
        rule.update(blocking_rule=_to_spark(rule["blocking_rule"]), sql_dialect="spark")
    return settings


class SparkEngine:
    """Splink on a Spark session: local mode by default, or the cluster at `master`.

    Use as a context manager: the session starts on entry and stops on exit.

    Example:
        >>> with SparkEngine() as engine:  # doctest: +SKIP
        ...     predictions = model.inference.predict(records, engine=engine)
    """

    def __init__(self, master: str = LOCAL_MASTER) -> None:
        self.master = master
        self._session: SparkSession | None = None

    def __enter__(self) -> SparkEngine:
        local = self.master.startswith("local")
        conf = dict(_CONF)
        if local:
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            # Python workers run this interpreter (a cluster's workers run their own).
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            conf.update(_LOCAL_CONF)
        builder = SparkSession.builder.master(self.master).appName("stormops-matching")
        for key, value in conf.items():
            builder = builder.config(key, value)
        self._session = builder.getOrCreate()
        self._session.sparkContext.setLogLevel("ERROR")
        for name, function in _UDFS.items():
            self._session.udf.register(name, function)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._session is not None:
            self._session.stop()
            self._session = None

    def api(self) -> DatabaseAPI:
        """Splink's Spark API on the session; tables persisted in memory between steps
        (no checkpoint folder to set up on a cluster)."""
        if self._session is None:
            raise RuntimeError("SparkEngine is used inside a `with` block")
        return SparkAPI(spark_session=self._session, break_lineage_method="persist",
                        register_udfs_automatically=False)

    def settings(self, splink_model: dict[str, Any]) -> dict[str, Any]:
        """The trained settings in Spark SQL."""
        return spark_settings(splink_model)

    def fetch(self, db_api: DatabaseAPI, sql: str) -> Mapping[str, np.ndarray]:
        """The result collected to the driver through Arrow, then the persisted tables
        released."""
        session = db_api.spark  # type: ignore[attr-defined]
        try:
            frame = session.sql(sql).toPandas()
            return {column: frame[column].to_numpy() for column in frame.columns}
        finally:
            session.catalog.clearCache()
