"""Neo4j access: the driver, the schema and the identity graph. Only this package talks to Neo4j."""

from stormops.graph._driver import open_async_driver, open_driver
from stormops.graph._identifiers import IDENTITY_FIELDS
from stormops.graph._pipeline import Batch, write_in_order
from stormops.graph._schema import apply_schema, delete_tenant, schema_applied, schema_applied_async
from stormops.graph._warmup import warm_up, warm_up_async
from stormops.graph.identities import BulkResult, IdentityGraph, LinkOutcome

__all__ = [
    "IDENTITY_FIELDS", "Batch", "BulkResult", "IdentityGraph", "LinkOutcome", "apply_schema",
    "delete_tenant", "open_driver", "open_async_driver", "schema_applied",
    "schema_applied_async", "warm_up", "warm_up_async", "write_in_order",
]
