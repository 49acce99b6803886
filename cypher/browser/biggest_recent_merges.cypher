// Neo4j Browser: the biggest merges of the last 30 days (by links and events moved), with the
// identities on both sides, whether each was undone, and the profile the survivor has now.
// :param tenant => 'demo'
MATCH (e:MergeEvent {tenant_id: $tenant})
WHERE e.kind <> 'unmerge' AND e.at >= datetime() - duration({days: 30})
WITH e, size(coalesce(e.moved, '')) + size(coalesce(e.moved_events, '')) AS weight
ORDER BY weight DESC, e.at DESC LIMIT 20
MATCH sides = (e)-[:MERGED]->(:Identity)
OPTIONAL MATCH now = (e)-[:MERGED {role: 'into'}]->(:Identity)-[:HAS_PROFILE]->(:Profile)
RETURN e.event_id AS event, e.kind AS kind, e.at AS at, e.actor AS actor, e.reason AS reason,
       e.undone_by IS NOT NULL AS undone, collect(sides) AS identities,
       collect(DISTINCT now) AS survivor_profile
