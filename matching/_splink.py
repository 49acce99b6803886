"""Splink and DuckDB plumbing shared by training and batch prediction."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import duckdb
import pyarrow as pa
from splink import DuckDBAPI
from splink.internals.splink_dataframe import SplinkDataFrame

DUCKDB_MEMORY_LIMIT = "3GB"
TABLE_NAMES = ("records", "link_to")


def duckdb_api() -> DuckDBAPI:
    """A fresh in-memory DuckDB for Splink, memory-bounded."""
    connection = duckdb.connect(":memory:")
    connection.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
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
