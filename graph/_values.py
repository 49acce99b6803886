"""Small value helpers: Neo4j temporal types made plain, iterables cut into batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any


def plain(value: Any) -> Any:
    """Recursively convert Neo4j temporal values (anything with `to_native`) in dicts/lists."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    to_native = getattr(value, "to_native", None)
    return to_native() if to_native is not None else value


def chunks(items: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of at most `size` items (one transaction's batch each)."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk
