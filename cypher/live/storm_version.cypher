// The version of a storm's live state (bumped on every write), for a stream to poll cheaply.
// $tenant, $key (tenant|storm_id). Returns: version
MATCH (l:LiveStorm {key: $key})
WHERE l.tenant_id = $tenant
RETURN l.version AS version
