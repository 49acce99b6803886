"""The start-up heap of a long-running process, moved out of the garbage collector's sight."""

from __future__ import annotations

import gc


def settle_heap() -> None:
    """Collect once, then freeze what start-up made (modules, Splink, pandas, models, query
    plans: hundreds of thousands of objects), so later full collections skip it.

    Called by the API once it is warm and by `stormops live run` before its first batch.
    Left in, every full collection walks all of it: a 100-280 ms pause of every thread, a
    few times a minute under load. Objects frozen are still freed when their last reference
    goes; only a cycle among them would stay.
    """
    gc.collect()
    gc.freeze()
