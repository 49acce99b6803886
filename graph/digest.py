"""A digest of a whole database: equal digests, equal graphs (labels, properties, edges).

Order does not matter (node ids may change across a dump and load): each node's digest covers
its labels and properties, each relationship's its type, properties and both end nodes'
digests, and the digests are summed modulo 2**256, a multiset hash that streams in one pass.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from neo4j import Driver

from stormops.cypher import cypher

_MOD = 2**256


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return f"{type(value).__name__}:{value.isoformat() if hasattr(value, 'isoformat') else value}"


def _digest(*parts: Any) -> bytes:
    text = json.dumps(_canonical(list(parts)), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).digest()


def graph_digest(driver: Driver, database: str) -> dict[str, Any]:
    """{nodes, relationships (counts), digest (hex)} of every node and relationship."""
    nodes: dict[str, bytes] = {}
    total = 0
    with driver.session(database=database) as session:
        for record in session.run(cypher("admin/digest_nodes")):
            digest = _digest(sorted(record["labels"]), record["props"])
            nodes[record["id"]] = digest
            total = (total + int.from_bytes(digest, "big")) % _MOD
        relationships = 0
        for record in session.run(cypher("admin/digest_relationships")):
            digest = _digest(record["type"], record["props"], nodes[record["start"]].hex(),
                             nodes[record["end"]].hex())
            total = (total + int.from_bytes(digest, "big")) % _MOD
            relationships += 1
    return {"nodes": len(nodes), "relationships": relationships,
            "digest": f"{total:064x}"}
