// Neo4j Browser: the tenant's merge log, newest first - who merged or unmerged what, when and
// why, whether a merge was undone, and the identities on both sides.
// :param tenant => 'demo'
MATCH (e:MergeEvent {tenant_id: $tenant})
WITH e ORDER BY e.at DESC LIMIT 50
MATCH sides = (e)-[:MERGED]->(:Identity)
RETURN e.at AS at, e.kind AS kind, e.actor AS actor, e.reason AS reason,
       e.undone_by IS NOT NULL AS undone, e.event_id AS event, collect(sides) AS identities
ORDER BY at DESC
