// Writes storms' live state (locked by live/lock_storms in the same transaction): the state
// as JSON plus its headline figures as properties for the Browser, and bumps the version
// (which a dashboard stream watches).
// $tenant, $now, $storms: [{key, state, summary: {method, events, conversions, revenue,
// spend, journeys, newest_ms}}]
UNWIND $storms AS row
MATCH (l:LiveStorm {key: row.key})
WHERE l.tenant_id = $tenant
SET l.state = row.state, l += row.summary, l.updated_at = $now,
    l.version = coalesce(l.version, 0) + 1
WITH l, row
OPTIONAL MATCH (s:Storm {key: row.key}) USING INDEX SEEK s:Storm(key)
CALL (l, s) {
  WITH l, s WHERE s IS NOT NULL AND NOT EXISTS { (l)-[:LIVE_OF]->(s) }
  CREATE (l)-[:LIVE_OF]->(s)
}
