"""Batch prediction on DuckDB and on Spark (pyspark local mode): time and agreement.

`--rows` homeowner sample rows (seed 11, with households); one model trained on them with
DuckDB; then the same model predicts and clusters the rows on each engine. Printed and
written to bench/results: each engine's predict and cluster wall time (Spark's session start
apart), the pairs scored, and the agreement: pairs with another comparison level or
decision, the largest match-weight difference, and whether the clusters (the partition of the
record ids) are identical. The load average is recorded with the figures: the machine is
shared. No Neo4j needed: `python bench/spark_engine.py --rows 20000`.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from _common import save

from stormops.matching.evaluate import load_dataset, partition
from stormops.matching.model import MatchingModel
from stormops.matching.spark import LOCAL_MASTER, SparkEngine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--master", default=LOCAL_MASTER)
    args = parser.parse_args()
    sample = load_dataset("sample", rows=args.rows, seed=11)
    model = MatchingModel()
    started = time.perf_counter()
    model.training.fit(sample.records)
    train_s = time.perf_counter() - started

    started = time.perf_counter()
    duckdb = model.inference.predict(sample.records)
    duckdb_predict_s = time.perf_counter() - started
    with SparkEngine(args.master) as engine:
        session_s = time.perf_counter() - started - duckdb_predict_s
        started = time.perf_counter()
        spark = model.inference.predict(sample.records, engine=engine)
        spark_predict_s = time.perf_counter() - started
    clustered = {}
    for name, predictions in (("duckdb", duckdb), ("spark", spark)):
        started = time.perf_counter()
        clustered[name] = (model.clustering.cluster(predictions), time.perf_counter() - started)

    same_pairs = (np.array_equal(duckdb.left, spark.left)
                  and np.array_equal(duckdb.right, spark.right))
    figures = {
        "rows": args.rows, "master": args.master, "pairs": int(len(duckdb.left)),
        "train_s": round(train_s, 1),
        "duckdb": {"predict_s": round(duckdb_predict_s, 1),
                   "cluster_s": round(clustered["duckdb"][1], 2)},
        "spark": {"session_start_s": round(session_s, 1),
                  "predict_s": round(spark_predict_s, 1),
                  "cluster_s": round(clustered["spark"][1], 2)},
        "same_pairs": same_pairs,
        "pairs_with_other_levels": (int((duckdb.gamma != spark.gamma).any(axis=1).sum())
                                    if same_pairs else None),
        "pairs_with_other_decision": (
            int((duckdb.decisions.status != spark.decisions.status).sum())
            if same_pairs else None),
        "max_weight_difference": (float(np.abs(duckdb.match_weight - spark.match_weight).max())
                                  if same_pairs else None),
        "same_clusters": partition(clustered["duckdb"][0].cluster_of())
                          == partition(clustered["spark"][0].cluster_of()),
        "identities": len(set(clustered["duckdb"][0].labels.tolist())),
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }
    for key, value in figures.items():
        print(f"{key:28} {value}")
    print(f"written to {save('spark_engine', figures)}")


if __name__ == "__main__":
    main()
