"""Erasure: every value of the person gone, the audit anonymous, attribution without them."""

from __future__ import annotations

import json

import pytest
from neo4j import Driver

from stormops.attribution.engine import AttributionEngine
from stormops.core.errors import NotFound
from stormops.graph import IdentityGraph
from stormops.graph.attribution import AttributionStore
from stormops.graph.erasure import Erasure
from tests.attribution.storm_fixture import STORM, load_storm

ANN = {"email": "a@x.com", "phone": "214-555-0177", "first_name": "Zelda",
       "last_name": "Quist", "dob": "1970-02-03"}
ALIAS = {"email": "zq.alias@example.org", "device_id": "dev-zq-991"}
VALUES = ["a@x.com", "zq.alias@example.org", "2145550177", "zelda", "quist", "dev-zq-991"]

_ANYWHERE = """
MATCH (n) WHERE n.tenant_id = $tenant OR n.key STARTS WITH $prefix
OPTIONAL MATCH (n)-[r]-()
WITH n, collect(r) AS rels
UNWIND [n] + rels AS item
UNWIND keys(item) AS k
WITH item[k] AS v
WITH toLower(CASE WHEN v IS :: LIST<ANY> THEN reduce(s = '', x IN v | s + toStringOrNull(x))
                  ELSE toStringOrNull(v) END) AS text
WHERE any(value IN $values WHERE text CONTAINS value)
RETURN count(*) AS found
"""


def test_forget_removes_every_value_and_keeps_an_anonymous_audit(
    driver: Driver, settings, tenant: str
) -> None:
    database = settings.neo4j_database
    graph = IdentityGraph(driver, database)
    load_storm(driver, database, tenant)  # a@x.com converts for 1,000 after door_knock, sms
    ann = graph.link_property(tenant, "P-ZQ", ANN)
    alias = graph.link_property(tenant, None, ALIAS)
    graph.merge_identities(tenant, ann, alias, "qa", "same person")
    neighbour = graph.link_property(tenant, "P-ZQ", {"email": "n@x.com", "first_name": "Ned"})
    engine = AttributionEngine(tenant, None, store=AttributionStore(driver, database))
    engine.attribute_storm(STORM, ["linear"])

    erased = Erasure(driver, database).forget(tenant, alias, "key:admin", "customer request")
    assert (erased["identities"], erased["journeys"], erased["results"]) == (2, 1, 1)
    assert erased["identifiers"] >= 5 and erased["touchpoints"] == 3

    found, _, _ = driver.execute_query(_ANYWHERE, tenant=tenant, prefix=f"{tenant}|",
                                       values=VALUES, database_=database)
    assert found[0]["found"] == 0, "a value of the erased person is still stored"
    audit, _, _ = driver.execute_query(
        "MATCH (e:Erasure {tenant_id: $tenant}) RETURN properties(e) AS e", tenant=tenant,
        database_=database)
    assert [(a["e"]["actor"], a["e"]["reason"], a["e"]["identities"]) for a in audit] == [
        ("key:admin", "customer request", 2)]
    assert ann not in json.dumps(audit[0]["e"], default=str)
    for gone in (ann, alias):
        with pytest.raises(NotFound):
            graph.get_profile(tenant, gone)
    assert graph.get_profile(tenant, neighbour)["properties"] == [
        {"property_id": "p-zq", "relation": "RESIDES_AT"}]

    # Linear credit without a@x.com's journey (door_knock 500, sms 500 of its 1,000).
    [run] = AttributionStore(driver, database).read_runs(tenant, STORM, "linear")
    assert run["channels"] == pytest.approx({"door_knock": 200.0, "sms": 500.0, "email": 100.0})
    assert (run["journeys"], run["converted"], run["total_value"]) == (3, 2, pytest.approx(800))

    # The same identifiers loaded again found a new identity, never the erased id.
    again = graph.link_property(tenant, "P-ZQ", ANN)
    assert again not in (ann, alias)
    with pytest.raises(NotFound):
        Erasure(driver, database).forget(tenant, ann, "key:admin", "twice")
