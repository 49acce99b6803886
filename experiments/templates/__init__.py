"""Experiment templates, one module each; `configure(name, config)` validates a definition."""

from collections.abc import Mapping
from typing import Any

from stormops.core.errors import InvalidInput
from stormops.experiments.templates import (
    channel_holdout,
    creative,
    geo_split,
    holdout,
    model_ab,
    policy,
)
from stormops.experiments.templates._base import ExperimentConfig, Template

TEMPLATES: dict[str, Template] = {
    module.TEMPLATE.name: module.TEMPLATE
    for module in (geo_split, holdout, channel_holdout, policy, model_ab, creative)
}

__all__ = ["TEMPLATES", "ExperimentConfig", "Template", "configure"]


def configure(template: str, config: Mapping[str, Any]) -> ExperimentConfig:
    """Validate `config` against the named template.

    Raises:
        InvalidInput: unknown template (field `template`) or a bad setting (its field).
    """
    if template not in TEMPLATES:
        raise InvalidInput(f"template: expected one of {', '.join(TEMPLATES)}, got {template!r}",
                           field="template")
    return TEMPLATES[template].configure(config)
