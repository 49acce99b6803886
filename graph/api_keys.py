"""API keys: each maps to one tenant and one role; only a hash of the secret is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from neo4j import AsyncDriver, Driver

from stormops.core.errors import InvalidInput, NotFound
from stormops.cypher import cypher
from stormops.graph._identifiers import check_tenant
from stormops.graph._values import plain

# Each may do what the previous may: read, write records and events, review and merge, and
# administer (keys, configuration, erasure).
ROLES: tuple[str, ...] = ("reader", "service", "reviewer", "admin")
MAX_LABEL = 200
_PREFIX = "sk"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the tenant every query is scoped to, and what they may do."""

    tenant: str
    role: str
    key_id: str

    @property
    def actor(self) -> str:
        """How the audit trail names this caller."""
        return f"key:{self.key_id}"

    def may(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_key(driver: Driver, database: str, tenant: str, role: str,
                   label: str | None = None) -> str:
    """Store a new key for `tenant` with `role` (and a `label` saying whose it is) and return
    it; it is never shown again."""
    check_tenant(tenant)
    if role not in ROLES:
        raise InvalidInput(f"role: expected one of {', '.join(ROLES)}, got {role!r}", field="role")
    if label is not None and (not label.strip() or len(label) > MAX_LABEL
                              or not label.isprintable()):
        raise InvalidInput(f"label: expected printable text of 1 to {MAX_LABEL} characters",
                           field="label")
    key_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    driver.execute_query(cypher("keys/create_key"), key_id=key_id, hash=_digest(secret),
                         tenant=tenant, role=role, label=label, now=datetime.now(UTC),
                         database_=database)
    return f"{_PREFIX}_{key_id}_{secret}"


def list_api_keys(driver: Driver, database: str, tenant: str) -> list[dict[str, Any]]:
    """The tenant's keys, oldest first: key_id, role, label, created_at, revoked_at (never the
    secret or its hash)."""
    check_tenant(tenant)
    records, _, _ = driver.execute_query(cypher("keys/list_keys"), tenant=tenant,
                                         database_=database, routing_="r")
    return [plain(record["key"]) for record in records]


def revoke_api_key(driver: Driver, database: str, tenant: str, key_id: str) -> dict[str, Any]:
    """Revoke one of the tenant's keys (a revoked key stays revoked); returns it as listed.

    Raises:
        NotFound: the tenant has no key with this id.
    """
    check_tenant(tenant)
    records, _, _ = driver.execute_query(cypher("keys/revoke_key"), tenant=tenant,
                                         key_id=key_id, now=datetime.now(UTC),
                                         database_=database)
    if not records:
        raise NotFound(f"key {key_id} not found", field="key_id")
    return plain(records[0]["key"])


def split_key(key: str) -> tuple[str, str] | None:
    """(key id, secret) of a well-formed key, else None."""
    prefix, _, rest = key.partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != _PREFIX or not key_id or not secret:
        return None
    return key_id, secret


async def lookup_api_key(driver: AsyncDriver, database: str, key: str) -> Principal | None:
    """The principal a presented key stands for, or None for an unknown or wrong key."""
    parts = split_key(key)
    if parts is None:
        return None
    key_id, secret = parts
    records, _, _ = await driver.execute_query(
        cypher("keys/get_key"), key_id=key_id, database_=database, routing_="r")
    if not records or not hmac.compare_digest(records[0]["hash"], _digest(secret)):
        return None
    return Principal(records[0]["tenant_id"], records[0]["role"], key_id)
