"""Merges undone in any order give back exactly the graph they started from.

Hypothesis draws a sequence of merges and undos over a few identities that share households
(so property ties move and collapse) and have journeys (so events and profiles move), then
undoes what is left in a drawn order; the tenant must equal its snapshot from before, links,
ties, statuses, journeys and profiles alike. After every step no property has two owners and
every identifier links to exactly one active identity.
"""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st
from neo4j import Driver

from stormops.core.settings import Settings
from stormops.graph import IdentityGraph, delete_tenant
from stormops.graph.journeys import JourneyGraph
from tests.graph.snapshot import snapshot

# Two households of two people, and a fifth person alone: ties to collapse (two residents of
# one property merged) and to move (an owner merged into someone of another household).
PEOPLE = [("H1", {"email": "ann@x.co", "first_name": "Ann"}),
          ("H1", {"email": "bob@x.co", "first_name": "Bob"}),
          ("H2", {"email": "cy@x.co", "first_name": "Cy"}),
          ("H2", {"email": "di@x.co", "first_name": "Di", "phone": "214-555-0101"}),
          (None, {"email": "ed@x.co", "first_name": "Ed"})]

_INVARIANTS = """
CALL () {
  MATCH (p:Property)<-[:OWNS]-(o:Identity {tenant_id: $tenant})
  WITH p, count(o) AS owners WHERE owners > 1
  RETURN count(p) AS shared_owners
}
CALL () {
  MATCH (i:Identifier) WHERE i.key STARTS WITH $prefix
  WITH i, COUNT { (i)-[:LINK]->(:Identity {status: 'active'}) } AS live,
       COUNT { (i)-[:LINK]->() } AS links
  WHERE live <> 1 OR links <> 1
  RETURN count(i) AS bad_links
}
RETURN shared_owners, bad_links
"""

# Each step: (merge?, a, b) with a and b picking among the identities active then (a merge),
# or among the merges not yet undone (an undo, using a).
steps = st.lists(st.tuples(st.booleans(), st.integers(0, 20), st.integers(0, 20)),
                 min_size=1, max_size=8)


def _load(graph: IdentityGraph, journeys: JourneyGraph, tenant: str) -> list[str]:
    ids = [graph.link_property(tenant, prop, person) for prop, person in PEOPLE]
    journeys.record_events(tenant, [
        {"event_id": f"e{n}", "storm_id": "S1" if n % 2 else "S2", "channel": "door_knock",
         "ts": f"2024-05-0{n + 1}T10:00:00", "identity_id": identity_id,
         **({"kind": "conversion", "revenue": 1000 * (n + 1)} if n % 2 else {})}
        for n, identity_id in enumerate(ids)])
    return ids


def _check(driver: Driver, database: str, tenant: str) -> None:
    records, _, _ = driver.execute_query(_INVARIANTS, tenant=tenant, prefix=f"{tenant}|",
                                         database_=database)
    assert records[0].data() == {"shared_owners": 0, "bad_links": 0}


@examples(max_examples=12, deadline=None, derandomize=True)
@given(plan=steps, finish=st.randoms(use_true_random=False))
def test_any_merge_and_undo_sequence_undoes_exactly(
    driver: Driver, settings: Settings, plan: list[tuple[bool, int, int]], finish
) -> None:
    database = settings.neo4j_database
    graph = IdentityGraph(driver, database)
    tenant = f"test-undo-{uuid.uuid4().hex[:10]}"
    try:
        ids = _load(graph, JourneyGraph(driver, database), tenant)
        before = snapshot(driver, database, tenant)
        live = list(ids)
        undone: set[str] = set()
        events: list[str] = []
        for merge, a, b in plan:
            open_events = [e for e in events if e not in undone]
            if merge and len(live) > 1:
                into, other = live[a % len(live)], live[b % len(live)]
                if into == other:
                    other = live[(b + 1) % len(live)]
                events.append(graph.merge_identities(tenant, into, other, "t", "drawn"))
            elif open_events:
                undone.add(open_events[a % len(open_events)])
                graph.unmerge(tenant, open_events[a % len(open_events)], "t", "drawn")
            live = [i for i in ids if graph.get_profile(tenant, i)["status"] == "active"]
            _check(driver, database, tenant)
        rest = [e for e in events if e not in undone]
        finish.shuffle(rest)
        for event_id in rest:
            graph.unmerge(tenant, event_id, "t", "undo the rest")
            _check(driver, database, tenant)
        assert snapshot(driver, database, tenant) == before
    finally:
        delete_tenant(driver, database, tenant)


def test_the_reported_chain_undone_first_to_last(graph: IdentityGraph, tenant: str) -> None:
    """merge B into A, A into C, undo the first, then the second: one owner, as before."""
    a = graph.link_property(tenant, None, {"email": "a@x.co"})
    b = graph.link_property(tenant, "P9", {"email": "b@x.co"})
    c = graph.link_property(tenant, None, {"email": "c@x.co"})
    before = snapshot(graph.driver, graph.database, tenant)
    first = graph.merge_identities(tenant, a, b, "t", "r")
    second = graph.merge_identities(tenant, c, a, "t", "r")
    graph.unmerge(tenant, first, "t", "r")
    graph.unmerge(tenant, second, "t", "r")
    assert snapshot(graph.driver, graph.database, tenant) == before
