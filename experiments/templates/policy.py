"""Treatment policy test, balanced within uplift bands."""

from stormops.experiments.templates._base import Template

TEMPLATE = Template(
    name="policy_test", description="Test treatment policy, stratified by uplift band",
    unit="property", variants=("aggressive", "moderate", "conservative"),
    weights=(1 / 3, 1 / 3, 1 / 3), control="conservative", stratify_by="uplift_band",
)
