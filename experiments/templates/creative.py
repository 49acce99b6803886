"""Messaging/creative test, balanced within personas."""

from stormops.experiments.templates._base import Template

TEMPLATE = Template(
    name="creative_test", description="Test messaging/creative, stratified by persona",
    unit="property", variants=("creative_a", "creative_b", "creative_c"),
    weights=(1 / 3, 1 / 3, 1 / 3), control="creative_a", stratify_by="persona",
)
