"""A/B test of two model versions, assigned at random."""

from stormops.experiments.templates._base import Template

TEMPLATE = Template(
    name="model_ab", description="A/B test model versions", unit="property",
    variants=("model_a", "model_b"), weights=(0.5, 0.5), control="model_a",
)
