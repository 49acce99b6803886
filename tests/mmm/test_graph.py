"""The weekly data read back from the graph after the sample went through the event path."""

from __future__ import annotations

import pytest
from neo4j import Driver

from stormops.core.errors import InvalidInput
from stormops.core.settings import Settings
from stormops.graph.journeys import JourneyGraph
from stormops.graph.mmm import MixDataStore
from stormops.mmm import MarketingMix, MixStore
from stormops.samples.mmm import generate_mmm, to_events


def load_sample(driver: Driver, settings: Settings, tenant: str, weeks: int = 30,
                channels: int = 3, seed: int = 4):
    """A small known-truth sample loaded through the event path; returns it."""
    sample = generate_mmm(weeks=weeks, channels=channels, seed=seed)
    journeys = JourneyGraph(driver, settings.neo4j_database)
    journeys.upsert_storms(tenant, [{k: v for k, v in s.items() if k != "week"}
                                    for s in sample.storms])
    result = journeys.load_events(tenant, to_events(sample, 1, revenue_per_conversion=1e6))
    assert not result.rejected
    return sample


def test_weekly_data_from_the_graph_equals_the_sample(driver: Driver, settings: Settings,
                                                      tenant: str, tmp_path) -> None:
    sample = load_sample(driver, settings, tenant)
    mix = MarketingMix(tenant, data=MixDataStore(driver, settings.neo4j_database),
                       store=MixStore(tmp_path))
    data = mix.weekly(months=None)
    assert data.channels == sorted(sample.spend)
    assert len(data.frame) == 30 and data.start == sample.weeks[0]
    for channel, spend in sample.spend.items():
        assert data.frame[channel].to_numpy() == pytest.approx(spend, abs=0.01)
    assert data.frame["revenue"].to_numpy() == pytest.approx(sample.revenue, abs=0.01)
    assert data.frame["storm_pressure"].to_numpy() == pytest.approx(sample.storm_pressure)
    # 4 months back from the latest week are 18 weeks: too few to fit
    with pytest.raises(InvalidInput, match="18 weeks") as caught:
        mix.weekly(months=4)
    assert caught.value.field == "weeks"
    # another tenant reads nothing of it
    other = MarketingMix(tenant + "-other", data=MixDataStore(driver, settings.neo4j_database),
                         store=MixStore(tmp_path))
    with pytest.raises(InvalidInput, match="no touchpoints"):
        other.weekly(months=None)
