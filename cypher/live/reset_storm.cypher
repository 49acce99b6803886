// Drops a storm's live state and every journey's part in it (before a rebuild).
// $tenant, $storm_id, $key (tenant|storm_id). Returns: deleted (parts)
OPTIONAL MATCH (l:LiveStorm {key: $key})
WHERE l.tenant_id = $tenant
DETACH DELETE l
WITH count(*) AS ignored
OPTIONAL MATCH (s:LiveShare {tenant_id: $tenant, storm_id: $storm_id})
DETACH DELETE s
RETURN count(s) AS deleted
