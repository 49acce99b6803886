"""Neo4j access: the driver, the schema and the identity graph. Only this package talks to Neo4j.

The public names are imported on first use, so a module of this package (or a command that
needs none of it) does not load the driver and the whole graph layer.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stormops.graph._driver import open_async_driver, open_driver, transient_failure
    from stormops.graph._optional import skip_dataframe_types
    from stormops.graph._pipeline import (
        EVENT_BATCH,
        LINK_BATCH,
        WRITERS,
        Batch,
        write_in_order,
    )
    from stormops.graph._schema import (
        apply_schema,
        delete_tenant,
        schema_applied,
        schema_applied_async,
    )
    from stormops.graph._warmup import warm_up, warm_up_async
    from stormops.graph.identities import BulkResult, IdentityGraph, LinkOutcome

_HOMES = {
    **dict.fromkeys(("open_async_driver", "open_driver", "transient_failure"),
                    "stormops.graph._driver"),
    "skip_dataframe_types": "stormops.graph._optional",
    **dict.fromkeys(("EVENT_BATCH", "LINK_BATCH", "WRITERS", "Batch", "write_in_order"),
                    "stormops.graph._pipeline"),
    **dict.fromkeys(("apply_schema", "delete_tenant", "schema_applied", "schema_applied_async"),
                    "stormops.graph._schema"),
    **dict.fromkeys(("warm_up", "warm_up_async"), "stormops.graph._warmup"),
    **dict.fromkeys(("BulkResult", "IdentityGraph", "LinkOutcome"), "stormops.graph.identities"),
}

__all__ = [
    "EVENT_BATCH", "LINK_BATCH", "WRITERS", "Batch", "BulkResult",
    "IdentityGraph", "LinkOutcome", "apply_schema",
    "delete_tenant", "open_driver", "open_async_driver", "schema_applied",
    "schema_applied_async", "skip_dataframe_types", "transient_failure", "warm_up",
    "warm_up_async",
    "write_in_order",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first access."""
    if name not in _HOMES:
        raise AttributeError(f"module 'stormops.graph' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
