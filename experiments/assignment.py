"""Deterministic assignment of units (properties or zips) to experiment arms.

A unit's arm depends only on the experiment, a salt and the unit id, through SHA-256, so it
is the same on every machine and every re-run. Where a template stratifies (by uplift band,
by persona), units of a stratum are ordered by that hash and dealt to arms in proportion to
the weights, so each stratum is balanced up to one unit per arm.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["assign", "unit_hash"]


def unit_hash(experiment_id: str, salt: str, unit: str) -> float:
    """A uniform draw in [0, 1) fixed by (experiment, salt, unit)."""
    digest = hashlib.sha256(f"{experiment_id}\x1f{salt}\x1f{unit}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _arm(position: float, cumulative: np.ndarray, variants: Sequence[str]) -> str:
    return variants[int(np.searchsorted(cumulative, position, side="right"))]


def assign(
    units: Sequence[str],
    variants: Sequence[str],
    weights: Sequence[float],
    experiment_id: str,
    salt: str = "",
    strata: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Arm of every unit.

    Args:
        units: unit ids (property ids, or zips for geo experiments); duplicates collapse.
        variants: arm names, in order.
        weights: allocation weights, one per arm (normalized here).
        experiment_id: the experiment; with `salt`, it seeds every draw.
        salt: changes every draw without changing the experiment id.
        strata: stratum of each unit; when given, each stratum is balanced.

    Returns:
        {unit: variant}.

    Example:
        >>> arms = assign(["P1", "P2"], ["treatment", "control"], [0.5, 0.5], "exp-1")
        >>> sorted(arms) == ["P1", "P2"]
        True
    """
    w = np.asarray(weights, dtype=float)
    if len(w) != len(variants) or len(w) == 0 or (w < 0).any() or w.sum() <= 0:
        raise ValueError(f"weights must be non-negative, one per variant, got {list(weights)}")
    cumulative = np.cumsum(w / w.sum())[:-1]
    draws = {unit: unit_hash(experiment_id, salt, unit) for unit in dict.fromkeys(units)}
    if strata is None:
        return {unit: _arm(u, cumulative, variants) for unit, u in draws.items()}
    groups: dict[str, list[str]] = defaultdict(list)
    for unit in draws:
        groups[strata.get(unit, "")].append(unit)
    arms = {}
    for members in groups.values():
        members.sort(key=lambda unit: (draws[unit], unit))
        offset = draws[members[0]]  # a random start keeps small strata from favouring arm 0
        n = len(members)
        for k, unit in enumerate(members):
            arms[unit] = _arm(((k + offset) / n) % 1.0, cumulative, variants)
    return arms
