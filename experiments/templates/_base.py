"""What every experiment template declares, and the validation they share."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from stormops.core.errors import InvalidInput

_COMMON_KEYS = frozenset({"name", "weights", "salt", "storm_id"})


@dataclass(frozen=True)
class ExperimentConfig:
    """A validated experiment definition, ready to assign and to store."""

    template: str
    name: str
    unit: Literal["property", "zip"]
    variants: tuple[str, ...]
    weights: tuple[float, ...]
    control: str
    salt: str = ""
    storm_id: str | None = None
    stratify_by: str | None = None
    channel: str | None = None


@dataclass(frozen=True)
class Template:
    """An experiment design: unit of assignment, arms, default weights, stratification.

    `extra` validates and maps template-specific keys onto the config's fields.
    """

    name: str
    description: str
    unit: Literal["property", "zip"]
    variants: tuple[str, ...]
    weights: tuple[float, ...]
    control: str
    stratify_by: str | None = None
    extra: Callable[[Mapping[str, Any]], dict[str, Any]] = field(default=lambda config: {})
    extra_keys: frozenset[str] = frozenset()

    def configure(self, config: Mapping[str, Any]) -> ExperimentConfig:
        """Validate a user's config against this template.

        Raises:
            InvalidInput: unknown key, missing name, or bad weights; names the field.
        """
        unknown = sorted(set(config) - _COMMON_KEYS - self.extra_keys)
        if unknown:
            allowed = ", ".join(sorted(_COMMON_KEYS | self.extra_keys))
            raise InvalidInput(f"{unknown[0]}: not a setting of {self.name} ({allowed})",
                               field=unknown[0])
        name = config.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            raise InvalidInput("name: expected a non-empty name of at most 200 characters",
                               field="name")
        specific = self.extra(config)
        default = specific.pop("weights", self.weights)
        weights = _weights(config.get("weights", default), len(self.variants))
        salt = config.get("salt", "")
        if not isinstance(salt, str) or len(salt) > 100:
            raise InvalidInput("salt: expected a string of at most 100 characters", field="salt")
        storm_id = config.get("storm_id")
        if storm_id is not None and (not isinstance(storm_id, str) or not storm_id.strip()):
            raise InvalidInput("storm_id: expected a storm id", field="storm_id")
        return ExperimentConfig(
            template=self.name, name=name.strip(), unit=self.unit, variants=self.variants,
            weights=weights, control=self.control, salt=salt, storm_id=storm_id,
            stratify_by=self.stratify_by, **specific,
        )


def _weights(value: Any, arms: int) -> tuple[float, ...]:
    ok = (isinstance(value, list | tuple) and len(value) == arms
          and all(isinstance(w, int | float) and not isinstance(w, bool) and w >= 0
                  for w in value) and sum(value) > 0)
    if not ok:
        raise InvalidInput(f"weights: expected {arms} non-negative numbers with a positive sum, "
                           f"got {value!r}", field="weights")
    total = float(sum(value))
    return tuple(float(w) / total for w in value)


def share(config: Mapping[str, Any], key: str, default: float) -> float:
    """A share in (0, 1) read from the config, e.g. a holdout's control share."""
    value = config.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        raise InvalidInput(f"{key}: expected a share between 0 and 1, got {value!r}", field=key)
    return float(value)
