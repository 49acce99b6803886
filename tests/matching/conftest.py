"""Shared, session-scoped matching fixtures: datasets and models trained once per run.

FEBRL3 (5,000 records, with known duplicates) and an 8,000-row synthetic homeowner sample
with households keep the whole folder to a few minutes on two cores; larger runs belong to
`stormops eval`.
"""

from __future__ import annotations

import pytest

from stormops.matching.evaluate import Dataset, load_dataset
from stormops.matching.model import Clusters, MatchingModel, Predictions

SAMPLE_ROWS = 8_000
SAMPLE_SEED = 5


@pytest.fixture(scope="session")
def febrl3() -> Dataset:
    return load_dataset("febrl3")


@pytest.fixture(scope="session")
def febrl3_model(febrl3: Dataset) -> MatchingModel:
    model = MatchingModel()
    model.training.fit(febrl3.records)
    return model


@pytest.fixture(scope="session")
def febrl3_predictions(febrl3: Dataset, febrl3_model: MatchingModel) -> Predictions:
    return febrl3_model.inference.predict(febrl3.records)


@pytest.fixture(scope="session")
def homeowners() -> Dataset:
    return load_dataset("sample", rows=SAMPLE_ROWS, seed=SAMPLE_SEED)


@pytest.fixture(scope="session")
def homeowner_model(homeowners: Dataset) -> MatchingModel:
    model = MatchingModel()
    model.training.fit(homeowners.records)
    return model


@pytest.fixture(scope="session")
def homeowner_predictions(homeowners: Dataset, homeowner_model: MatchingModel) -> Predictions:
    return homeowner_model.inference.predict(homeowners.records)


@pytest.fixture(scope="session")
def homeowner_clusters(
    homeowner_model: MatchingModel, homeowner_predictions: Predictions
) -> Clusters:
    return homeowner_model.clustering.cluster(homeowner_predictions)
