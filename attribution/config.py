"""Per-tenant attribution configuration: which methods run, and with which parameters.

A config is plain data (JSON in, JSON out, stored per tenant by `graph.attribution`). It is
validated once, where it enters (`parse_config`): every error is an `InvalidInput` naming the
field at fault (`hybrid_weights.markov`, `position_weights.first`, ...) and saying what was
expected and what was received.

Fields (all optional in input; missing ones take the defaults below):

    methods          enabled methods, from first_touch, last_touch, linear, time_decay,
                     position_based, markov, shapley, hybrid (default: all)
    default_method   the method reported when none is asked for; must be enabled (markov)
    hybrid_weights   method -> weight, base methods only, >= 0, summing to 1
                     (markov 0.5, last_touch 0.5)
    half_life_days   time-decay half-life, > 0 and <= 365 (7)
    position_weights {first, last}: position-based shares, each >= 0, sum <= 1 (0.4, 0.4)
    markov_order     1 or 2 (1)
    lookback_days    only touches within this many days before the conversion (or the
                     journey's last touch) count; null for no window (90)
    channels         the channels credited, in report order; touches on other channels are
                     ignored; null for every channel seen in the storm (null)
    value            "revenue" (credit revenue) or "conversions" (credit 1 per conversion)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from stormops.core.errors import InvalidInput

__all__ = ["ALL_METHODS", "BASE_METHOD_NAMES", "AttributionConfig", "parse_config"]

BASE_METHOD_NAMES: tuple[str, ...] = (
    "first_touch", "last_touch", "linear", "time_decay", "position_based", "markov", "shapley",
)
ALL_METHODS: tuple[str, ...] = (*BASE_METHOD_NAMES, "hybrid")
_FIELDS = ("methods", "default_method", "hybrid_weights", "half_life_days", "position_weights",
           "markov_order", "lookback_days", "channels", "value")
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class AttributionConfig:
    """A tenant's validated attribution settings (see the module docstring for each field)."""

    methods: tuple[str, ...] = ALL_METHODS
    default_method: str = "markov"
    hybrid_weights: Mapping[str, float] = field(
        default_factory=lambda: {"markov": 0.5, "last_touch": 0.5})
    half_life_days: float = 7.0
    position_weights: Mapping[str, float] = field(
        default_factory=lambda: {"first": 0.4, "last": 0.4})
    markov_order: int = 1
    lookback_days: float | None = 90.0
    channels: tuple[str, ...] | None = None
    value: str = "revenue"

    def as_dict(self) -> dict[str, Any]:
        """The config as JSON-ready data (what `parse_config` reads back)."""
        out = asdict(self)
        out["methods"] = list(self.methods)
        out["hybrid_weights"] = dict(self.hybrid_weights)
        out["position_weights"] = dict(self.position_weights)
        out["channels"] = None if self.channels is None else list(self.channels)
        return out

    def params(self, method: str) -> dict[str, Any]:
        """Keyword arguments of `method` under this config (not the fitted Markov model)."""
        if method == "time_decay":
            return {"half_life_days": self.half_life_days}
        if method == "position_based":
            return {"first": self.position_weights["first"], "last": self.position_weights["last"]}
        if method == "markov":
            return {"order": self.markov_order}
        return {}


def _bad(name: str, expected: str, got: object) -> InvalidInput:
    return InvalidInput(f"{name}: expected {expected}, got {got!r}", field=name)


def _number(raw: object, name: str, *, low: float, high: float, low_open: bool = False) -> float:
    ok = isinstance(raw, int | float) and not isinstance(raw, bool) and math.isfinite(raw)
    if ok and (raw > low if low_open else raw >= low) and raw <= high:
        return float(raw)
    bound = f"{'>' if low_open else '>='} {low:g} and <= {high:g}"
    raise _bad(name, f"a number {bound}", raw)


def _weights(raw: object, name: str, allowed: tuple[str, ...]) -> dict[str, float]:
    if not isinstance(raw, Mapping) or not raw:
        raise _bad(name, "a non-empty object of name -> weight", raw)
    out = {}
    for key, weight in raw.items():
        if key not in allowed:
            raise InvalidInput(f"{name}.{key}: unknown name; expected one of {list(allowed)}",
                               field=f"{name}.{key}")
        out[str(key)] = _number(weight, f"{name}.{key}", low=0.0, high=1.0)
    return out


def parse_config(raw: Mapping[str, Any] | None) -> AttributionConfig:
    """Validate a config (JSON data); missing fields take their defaults.

    Args:
        raw: the config as sent by a client or stored; None for the defaults.

    Returns:
        The validated `AttributionConfig`.

    Raises:
        InvalidInput: naming the field at fault, with what was expected and received.

    Example:
        >>> parse_config({"default_method": "linear"}).default_method
        'linear'
    """
    if raw is None:
        return AttributionConfig()
    if not isinstance(raw, Mapping):
        raise _bad("config", "an object", raw)
    unknown = sorted(set(raw) - set(_FIELDS))
    if unknown:
        raise InvalidInput(f"{unknown[0]}: unknown field; expected some of {list(_FIELDS)}",
                           field=unknown[0])
    base = AttributionConfig()
    methods = raw.get("methods", list(base.methods))
    if not isinstance(methods, list) or not methods or len(set(map(str, methods))) != len(
            methods):
        raise _bad("methods", f"a non-empty list of distinct names from {list(ALL_METHODS)}",
                   methods)
    for pos, name in enumerate(methods):
        if name not in ALL_METHODS:
            raise InvalidInput(f"methods.{pos}: unknown method {name!r}; expected one of "
                               f"{list(ALL_METHODS)}", field=f"methods.{pos}")
    default = raw.get("default_method", base.default_method)
    if default not in methods:
        if "default_method" not in raw and len(methods):
            default = methods[0]
        else:
            raise _bad("default_method", f"one of the enabled methods {methods}", default)

    hybrid_weights = _weights(raw.get("hybrid_weights", base.hybrid_weights), "hybrid_weights",
                              BASE_METHOD_NAMES)
    total = math.fsum(hybrid_weights.values())
    if abs(total - 1) > _TOLERANCE:
        raise _bad("hybrid_weights", "weights summing to 1", hybrid_weights)

    position = _weights(raw.get("position_weights", base.position_weights), "position_weights",
                        ("first", "last"))
    if set(position) != {"first", "last"}:
        raise _bad("position_weights", "both 'first' and 'last'", dict(position))
    if position["first"] + position["last"] > 1 + _TOLERANCE:
        raise _bad("position_weights", "first + last <= 1", dict(position))

    order = raw.get("markov_order", base.markov_order)
    if order not in (1, 2) or isinstance(order, bool):
        raise _bad("markov_order", "1 or 2", order)

    lookback = raw.get("lookback_days", base.lookback_days)
    if lookback is not None:
        lookback = _number(lookback, "lookback_days", low=0.0, high=3650.0, low_open=True)

    channels = raw.get("channels", base.channels)
    if channels is not None:
        if (not isinstance(channels, list) or not 0 < len(channels) <= 50
                or len(set(map(str, channels))) != len(channels)):
            raise _bad("channels", "null or a list of 1 to 50 distinct names", channels)
        for pos, name in enumerate(channels):
            if not isinstance(name, str) or not name or len(name) > 64:
                raise _bad(f"channels.{pos}", "a channel name of 1-64 characters", name)
        channels = tuple(channels)

    value = raw.get("value", base.value)
    if value not in ("revenue", "conversions"):
        raise _bad("value", "'revenue' or 'conversions'", value)

    return AttributionConfig(
        methods=tuple(methods), default_method=default, hybrid_weights=hybrid_weights,
        half_life_days=_number(raw.get("half_life_days", base.half_life_days), "half_life_days",
                               low=0.0, high=365.0, low_open=True),
        position_weights=position, markov_order=int(order), lookback_days=lookback,
        channels=channels, value=value)
