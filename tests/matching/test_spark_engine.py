"""The Spark engine (pyspark local mode) scores and clusters a batch as the DuckDB engine
does: the same model, the same pairs and levels, the same identities.

A few thousand homeowner sample rows with households keep it to a minute or two on two
cores; bench/spark_engine.py compares the two at larger sizes.
"""

from __future__ import annotations

import numpy as np
import pytest

from stormops.matching.evaluate import Dataset, load_dataset, partition
from stormops.matching.model import MatchingModel, Predictions
from stormops.matching.spark import SparkEngine, spark_settings

ROWS = 3_000


@pytest.fixture(scope="module")
def sample() -> Dataset:
    return load_dataset("sample", rows=ROWS, seed=11)


@pytest.fixture(scope="module")
def model(sample: Dataset) -> MatchingModel:
    model = MatchingModel()
    model.training.fit(sample.records)
    return model


@pytest.fixture(scope="module")
def both(sample: Dataset, model: MatchingModel) -> tuple[Predictions, Predictions]:
    duckdb = model.inference.predict(sample.records)
    with SparkEngine() as engine:
        spark = model.inference.predict(sample.records, engine=engine)
    return duckdb, spark


def test_the_model_sql_is_rewritten_for_spark(model: MatchingModel) -> None:
    settings = spark_settings(model._state.splink)
    conditions = [level["sql_condition"] for comparison in settings["comparisons"]
                  for level in comparison["comparison_levels"]]
    assert "jaro_winkler_similarity(`first_name_l`, `first_name_r`) >= 0.92" in [
        sql.lower() for sql in conditions]
    assert not any('"' in sql for sql in conditions)
    assert {rule["sql_dialect"] for rule in
            settings["blocking_rules_to_generate_predictions"]} == {"spark"}


def test_spark_scores_the_same_pairs_as_duckdb(both: tuple[Predictions, Predictions]) -> None:
    duckdb, spark = both
    assert len(duckdb.left) > ROWS // 2
    np.testing.assert_array_equal(spark.left, duckdb.left)
    np.testing.assert_array_equal(spark.right, duckdb.right)
    np.testing.assert_array_equal(spark.gamma, duckdb.gamma)
    np.testing.assert_allclose(spark.match_weight, duckdb.match_weight, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(spark.decisions.status, duckdb.decisions.status)


def test_spark_clusters_are_duckdb_clusters(
    sample: Dataset, model: MatchingModel, both: tuple[Predictions, Predictions]
) -> None:
    duckdb, spark = (model.clustering.cluster(predictions) for predictions in both)
    assert len(set(duckdb.labels.tolist())) < ROWS
    assert partition(spark.cluster_of()) == partition(duckdb.cluster_of())
    assert [(item.record_id_l, item.record_id_r, item.reason) for item in spark.review] == [
        (item.record_id_l, item.record_id_r, item.reason) for item in duckdb.review]
