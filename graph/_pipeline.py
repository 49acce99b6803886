"""Batches written a few at a time, with the result of writing them one by one, in order.

Two batches in flight that touch the same identifier, property or identity would race for it
(the first to commit claims it), so the outcome would depend on timing. Here a batch waits
for every earlier batch it shares a key with; batches with nothing in common overlap.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

# Defaults of the bulk paths, here (no driver import) so the CLI can show them without loading
# the graph layer.
LINK_BATCH = 2_500  # people per link transaction
EVENT_BATCH = 5_000  # events per transaction of a bulk load
WRITERS = 2  # transactions at a time: one is prepared while the other runs


@dataclass(frozen=True)
class Batch:
    """One transaction's work: `write()` runs it (None: nothing to write); `keys` are what it
    locks (None: it waits for every earlier batch); `context` goes to `settle`."""

    write: Callable[[], Any] | None
    keys: frozenset[str] | None
    context: Any = None


def write_in_order(batches: Iterable[Batch], settle: Callable[[Any, Any], None],
                   workers: int) -> None:
    """Write `batches`, at most `workers` at a time, and call `settle(context, result)` for
    each in input order (result None when it had nothing to write)."""
    with ThreadPoolExecutor(max(1, workers)) as pool:
        pending: deque[tuple[Batch, Future | None]] = deque()

        def settle_oldest() -> None:
            batch, future = pending.popleft()
            settle(batch.context, None if future is None else future.result())

        for batch in batches:
            while pending and (len(pending) >= workers or _waits(batch, pending)):
                settle_oldest()
            pending.append((batch, None if batch.write is None else pool.submit(batch.write)))
        while pending:
            settle_oldest()


def _waits(batch: Batch, pending: deque[tuple[Batch, Future | None]]) -> bool:
    return batch.keys is None or any(
        other.keys is None or not batch.keys.isdisjoint(other.keys) for other, _ in pending)
