"""The marketing-mix model: weekly data from the graph, a PyMC-Marketing fit sampled with nutpie,
ROI with intervals, and the budget that earns the most.

PyMC is imported only by a fit (`stormops.mmm.fit`); the rest answers from stored posteriors.
"""

from stormops.mmm.data import MIN_WEEKS, STORM_DECAY, WeeklyData, storm_pressure, weekly_frame
from stormops.mmm.fit import FitSettings, check_lift_tests
from stormops.mmm.posterior import HDI_PROB, RISK, Interval, MixPosterior
from stormops.mmm.service import MarketingMix
from stormops.mmm.store import MixStore

__all__ = ["HDI_PROB", "MIN_WEEKS", "STORM_DECAY", "FitSettings", "Interval", "MarketingMix",
           "MixPosterior", "MixStore", "RISK", "WeeklyData", "check_lift_tests", "storm_pressure",
           "weekly_frame"]
