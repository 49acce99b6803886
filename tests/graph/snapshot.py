"""Read back a tenant's identity state, to compare the graph before and after operations."""

from __future__ import annotations

from neo4j import Driver

_LINKS = """
MATCH (i:Identifier|Record)-[l:LINK]->(n:Identity {tenant_id: $tenant})
RETURN i.key AS key, n.identity_id AS identity_id, properties(l) AS props
"""
_IDENTITIES = """
MATCH (n:Identity {tenant_id: $tenant})
RETURN n.identity_id AS identity_id, properties(n) AS props,
       [(n)-[:MERGED_INTO]->(m) | m.identity_id] AS merged_into,
       [(n)-[t:OWNS|RESIDES_AT]->(p:Property) | type(t) + ':' + p.key] AS ties,
       [(n)-[t:OWNS|RESIDES_AT]->(p:Property) | [type(t), p.key, t.sources]] AS sources
"""
_JOURNEYS = """
MATCH (n:Identity {tenant_id: $tenant})-[:JOURNEY]->(j:Journey)
RETURN j.journey_id AS journey_id, n.identity_id AS identity_id, labels(j) AS labels,
       properties(j) AS props, [(j)-[:HAS]->(t:Touchpoint) | t.key] AS events
"""
_PROFILES = """
MATCH (n:Identity {tenant_id: $tenant})-[:HAS_PROFILE]->(p:Profile)
RETURN n.identity_id AS identity_id, properties(p) AS props
"""
_IDENTIFIERS = "MATCH (i:Identifier) WHERE i.key STARTS WITH $prefix RETURN i.key AS key"


def snapshot(driver: Driver, database: str, tenant: str) -> dict:
    """Identities (properties, merge edges, ties), identifier and record links (with
    properties), journeys (with their events), profiles (but when computed) and the sources
    of each property tie, of a tenant."""
    def rows(query: str, **params) -> list[dict]:
        records, _, _ = driver.execute_query(query, database_=database, **params)
        return [r.data() for r in records]

    identities, tie_sources = {}, {}
    for r in rows(_IDENTITIES, tenant=tenant):
        identities[r["identity_id"]] = (r["props"], sorted(r["merged_into"]), sorted(r["ties"]))
        tie_sources[r["identity_id"]] = sorted(r["sources"])
    links = {}
    for r in rows(_LINKS, tenant=tenant):
        assert r["key"] not in links, f"{r['key']} links to two identities"
        links[r["key"]] = (r["identity_id"], r["props"])
    identifiers = sorted(r["key"] for r in rows(_IDENTIFIERS, prefix=f"{tenant}|"))
    journeys = {r["journey_id"]: (r["identity_id"], sorted(r["labels"]), r["props"],
                                  sorted(r["events"])) for r in rows(_JOURNEYS, tenant=tenant)}
    profiles = {r["identity_id"]: {k: v for k, v in r["props"].items() if k != "last_updated"}
                for r in rows(_PROFILES, tenant=tenant)}
    return {"identities": identities, "links": links, "identifiers": identifiers,
            "journeys": journeys, "profiles": profiles, "tie_sources": tie_sources}
