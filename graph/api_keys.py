"""API keys: each maps to one tenant and one role; only a hash of the secret is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from neo4j import AsyncDriver, Driver

from stormops.core.errors import InvalidInput
from stormops.cypher import cypher
from stormops.graph._identifiers import check_tenant

ROLES: tuple[str, ...] = ("service", "reviewer", "admin")  # each may do what the previous may
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


def create_api_key(driver: Driver, database: str, tenant: str, role: str) -> str:
    """Store a new key for `tenant` with `role` and return it; it is never shown again."""
    check_tenant(tenant)
    if role not in ROLES:
        raise InvalidInput(f"role: expected one of {', '.join(ROLES)}, got {role!r}", field="role")
    key_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    driver.execute_query(cypher("keys/create_key"), key_id=key_id, hash=_digest(secret),
                         tenant=tenant, role=role, now=datetime.now(UTC), database_=database)
    return f"{_PREFIX}_{key_id}_{secret}"


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
