"""Identity ids: derived from what founded the identity, so the same input gives the same ids.

An identity is founded by one key: the smallest identifier key of the person who founded it
on the exact path, or the key of its first record on the matching path. Neither key can found
a second identity while the first lives (it stays linked to it through merges and unmerges),
so the id, a UUID-5 of the tenant, the key and the tenant's erasure count, is unique. After
an erasure the count moves on: the same identifiers loaded again found a new id, never the
erased one.
"""

from __future__ import annotations

import uuid

from neo4j import ManagedTransaction

from stormops.cypher import cypher

_NAMESPACE = uuid.UUID("6f1c2a3e-5b7d-4e8f-9a0b-1c2d3e4f5a6b")


def identity_id(tenant: str, founding_key: str, epoch: int) -> str:
    """The id of the identity `founding_key` founds after the tenant's `epoch`-th erasure."""
    return str(uuid.uuid5(_NAMESPACE, f"{tenant}|{epoch}|{founding_key}"))


def review_item_id(key: str) -> str:
    """A review item's id, from its key (tenant and the identities it names)."""
    return str(uuid.uuid5(_NAMESPACE, key))


def erasure_epoch(tx: ManagedTransaction, tenant: str) -> int:
    """How many erasures the tenant has had: the generation new identity ids are made in."""
    return tx.run(cypher("identity/erasure_epoch"), tenant=tenant).single(strict=True)["epoch"]
