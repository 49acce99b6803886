"""Driver values made plain: Neo4j temporal types become Python datetimes."""

from __future__ import annotations

from typing import Any


def plain(value: Any) -> Any:
    """Recursively convert Neo4j temporal values (anything with `to_native`) in dicts/lists."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    to_native = getattr(value, "to_native", None)
    return to_native() if to_native is not None else value
