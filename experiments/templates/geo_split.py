"""Geographic split: every property of a zip code is in the same arm."""

from stormops.experiments.templates._base import Template

TEMPLATE = Template(
    name="geo_split", description="Geographic holdout test: assignment by zip code",
    unit="zip", variants=("treatment", "control"), weights=(0.5, 0.5), control="control",
)
