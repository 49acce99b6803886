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

__all__ = ["TEMPLATES", "ExperimentConfig", "Template", "catalog", "configure"]


def configure(template: str, config: Mapping[str, Any]) -> ExperimentConfig:
    """Validate `config` against the named template.

    Raises:
        InvalidInput: unknown template (field `template`) or a bad setting (its field).
    """
    if template not in TEMPLATES:
        raise InvalidInput(f"template: expected one of {', '.join(TEMPLATES)}, got {template!r}",
                           field="template")
    return TEMPLATES[template].configure(config)


def catalog() -> list[dict[str, Any]]:
    """Every template as data: what it tests, its unit, arms, default weights, control, the
    stratum it balances within and the settings it takes (a form can be built from it)."""
    return [{"template": t.name, "description": t.description, "unit": t.unit,
             "variants": list(t.variants), "weights": list(t.weights), "control": t.control,
             "stratify_by": t.stratify_by,
             "settings": ["name", "storm_id", "weights", "salt", *sorted(t.extra_keys)]}
            for t in TEMPLATES.values()]
