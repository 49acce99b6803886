"""Splink and DuckDB plumbing shared by training and batch prediction.

Batch prediction runs on an engine: DuckDB in this process (`DuckDBEngine`, the default) or
Spark (`matching.spark.SparkEngine`, for batches past one machine). An engine gives Splink
its database API, rewrites the trained model's SQL into its dialect, and reads a query's
result back as numpy columns; the model, its parameters and thresholds are the same.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import duckdb
import numpy as np
import pyarrow as pa
from splink import DuckDBAPI
from splink.internals.database_api import DatabaseAPI
from splink.internals.splink_dataframe import SplinkDataFrame

# DuckDB spills what does not fit to the temporary folder, so a million records train and
# predict within a bounded footprint (and nothing is written into the working directory).
DUCKDB_MEMORY_LIMIT = "1GB"
TABLE_NAMES = ("records", "link_to")


def duckdb_api() -> DuckDBAPI:
    """A fresh in-memory DuckDB for Splink, memory-bounded."""
    connection = duckdb.connect(":memory:")
    connection.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
    spill = Path(tempfile.gettempdir()) / f"stormops-duckdb-{os.getpid()}"
    connection.execute("SET temp_directory = ?", [str(spill)])
    return DuckDBAPI(connection)


class Engine(Protocol):
    """Where Splink scores a batch's pairs."""

    def api(self) -> DatabaseAPI:
        """A fresh database API for one prediction."""

    def settings(self, splink_model: dict[str, Any]) -> dict[str, Any]:
        """The trained Splink settings with their SQL in this engine's dialect."""

    def fetch(self, db_api: DatabaseAPI, sql: str) -> Mapping[str, np.ndarray]:
        """Run `sql` and return its columns as arrays, then release `db_api`."""


class DuckDBEngine:
    """Splink on an in-memory DuckDB in this process: the model's own dialect."""

    def api(self) -> DatabaseAPI:
        """A fresh memory-bounded DuckDB."""
        return duckdb_api()

    def settings(self, splink_model: dict[str, Any]) -> dict[str, Any]:
        """The settings as trained (DuckDB SQL)."""
        return splink_model

    def fetch(self, db_api: DatabaseAPI, sql: str) -> Mapping[str, np.ndarray]:
        """Columns straight from DuckDB, then the connection closed."""
        connection = db_api.duckdb_con  # type: ignore[attr-defined]
        try:
            return connection.execute(sql).fetchnumpy()
        finally:
            connection.close()


def register_tables(db_api: DatabaseAPI, tables: Sequence[pa.Table]) -> list[SplinkDataFrame]:
    """Register input tables under stable names ('records', 'link_to')."""
    return [db_api.register(table, dataset_display_name=name)
            for name, table in zip(TABLE_NAMES, tables, strict=False)]


@contextmanager
def quiet_splink() -> Iterator[None]:
    """Hold Splink's log output to errors: what training adjusts is in our own report."""
    logger = logging.getLogger("splink")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
