"""Splink and DuckDB plumbing shared by training and batch prediction."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa
from splink import DuckDBAPI
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


def register_tables(db_api: DuckDBAPI, tables: Sequence[pa.Table]) -> list[SplinkDataFrame]:
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
