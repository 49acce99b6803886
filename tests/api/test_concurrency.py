"""16 clients posting the same people at once: one identity per person, and no 409.

Every round, each client posts its own record of the same person, released together by a
barrier, so the posts of one person race as hard as loopback allows. The model path (the
tenant has a matching model) and the exact path (no model) are both tried.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

import httpx
from neo4j import Driver

from stormops.samples.homeowners import CANONICAL_COLUMNS, generate_records
from tests.api.conftest import TenantKeys

CLIENTS = 16  # the load the service must take without a duplicate (the reliability target)
PEOPLE = 6

_ACTIVE = """
MATCH (i:Identifier)-[:LINK]->(n:Identity {tenant_id: $tenant, status: 'active'})
WHERE i.type IN ['email', 'national_id']
RETURN i.value AS value, n.identity_id AS identity_id
"""


def _people() -> list[dict[str, str]]:
    """Distinct people, each named by an email (so each is one identity on both paths)."""
    chosen: dict[str, dict[str, str]] = {}
    for record in generate_records(200, seed=41):
        if record["email"] and record["person_id"] not in chosen:
            chosen[record["person_id"]] = {k: record[k] for k in CANONICAL_COLUMNS if record[k]}
    return list(chosen.values())[:PEOPLE]


def _post_together(url: str, key: str, people: list[dict[str, str]]) -> Counter:
    """Each client posts a record of every person; all clients post a person at once."""
    barrier = threading.Barrier(CLIENTS)
    statuses: Counter = Counter()
    lock = threading.Lock()

    def client(number: int) -> None:
        with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=120) as http:
            for pos, person in enumerate(people):
                barrier.wait()
                response = http.post("/v1/records",
                                     json={**person, "record_id": f"p{pos}-c{number}"})
                with lock:
                    statuses[response.status_code] += 1

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, range(CLIENTS)))
    return statuses


def _identities_per_person(driver: Driver, database: str, tenant: str,
                           people: list[dict[str, str]]) -> dict[str, int]:
    """Active identities each person's email reaches, by email; and every active identity
    of the tenant belongs to one of them (none was created and orphaned)."""
    records, _, _ = driver.execute_query(_ACTIVE, tenant=tenant, database_=database)
    reached: dict[str, set[str]] = defaultdict(set)
    for row in records:
        reached[row["value"]].add(row["identity_id"])
    active, _, _ = driver.execute_query(
        "MATCH (n:Identity {tenant_id: $tenant, status: 'active'}) RETURN count(n) AS n",
        tenant=tenant, database_=database)
    assert active[0]["n"] == len(people), "every active identity is one of the people"
    return {person["email"].strip().lower(): len(reached[person["email"].strip().lower()])
            for person in people}


def _one_identity_each(api_url: str, keys: TenantKeys, driver: Driver, database: str) -> None:
    """All posts answered 200 (no 409), and each person has exactly one active identity."""
    people = _people()
    statuses = _post_together(api_url, keys.service, people)
    assert statuses == {200: CLIENTS * len(people)}
    counts = _identities_per_person(driver, database, keys.tenant, people)
    assert set(counts.values()) == {1}, counts


def test_model_path_gives_one_identity_per_person(
    api_url: str, keys: TenantKeys, with_model: str, driver: Driver, settings
) -> None:
    _one_identity_each(api_url, keys, driver, settings.neo4j_database)
    merges, _, _ = driver.execute_query(
        "MATCH (e:MergeEvent {tenant_id: $tenant}) RETURN count(e) AS n", tenant=keys.tenant,
        database_=settings.neo4j_database)
    assert merges[0]["n"] == 0, "no identity was created only to be merged away"


def test_exact_path_gives_one_identity_per_person(
    api_url: str, keys: TenantKeys, driver: Driver, settings
) -> None:
    _one_identity_each(api_url, keys, driver, settings.neo4j_database)
