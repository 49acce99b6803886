// A storm's live state, for its dashboard.
// $tenant, $key (tenant|storm_id). Returns: storm_id, state, version, updated_at, name
MATCH (l:LiveStorm {key: $key})
WHERE l.tenant_id = $tenant
OPTIONAL MATCH (l)-[:LIVE_OF]->(s:Storm)
RETURN l.storm_id AS storm_id, l.state AS state, l.version AS version,
       toString(l.updated_at) AS updated_at, s.name AS name
