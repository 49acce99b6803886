"""Synthetic data with known truth: homeowner records, storms and journeys, for demos,
tests and benchmarks."""
