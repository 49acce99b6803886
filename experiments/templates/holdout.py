"""Global holdout: a share of properties receives nothing, to measure total lift."""

from stormops.experiments.templates._base import Template, share

TEMPLATE = Template(
    name="holdout", description="Global control group held back from all outreach",
    unit="property", variants=("treatment", "control"), weights=(0.9, 0.1), control="control",
    extra=lambda c: {"weights": (1 - (s := share(c, "control_share", 0.1)), s)},
    extra_keys=frozenset({"control_share"}),
)
