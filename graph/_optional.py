"""Loading the Neo4j driver without numpy, pandas and pyarrow.

The driver imports them when installed (about half a second) only to recognise their values
as query parameters and to build data frames. A process that does neither can have it load
as on a machine without them.
"""

from __future__ import annotations

import sys
from types import ModuleType

_OPTIONAL = "neo4j._optional_deps"


def skip_dataframe_types() -> bool:
    """Register the driver's optional-dependency module with none of them, before the driver
    is imported; returns whether that was done.

    Done only while neither the driver (it has read the real module) nor numpy (the process
    may hand its values to the driver) is loaded. Afterwards a numpy or pandas parameter is
    refused by the driver, so only commands that never touch them ask for this.
    """
    if "neo4j" in sys.modules or "numpy" in sys.modules:
        return False
    stub = ModuleType(_OPTIONAL)
    stub.np = stub.pd = stub.pa = stub.pa_compute = None  # as the driver sets them when absent
    stub.__all__ = ["np", "pa", "pa_compute", "pd"]
    sys.modules[_OPTIONAL] = stub
    return True
