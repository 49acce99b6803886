// The identities that make up one person: the live identity an id resolves to and every
// identity merged into it, directly or down a chain.
// $tenant, $identity_id. Returns: identity_id (none when the id is unknown or dead)
MATCH (n:Identity {identity_id: $identity_id, tenant_id: $tenant})
OPTIONAL MATCH (n)-[:MERGED_INTO*1..]->(survivor:Identity {status: 'active'})
WITH coalesce(survivor, n) AS live WHERE live.status = 'active'
MATCH (m:Identity)-[:MERGED_INTO*0..]->(live)
RETURN DISTINCT m.identity_id AS identity_id
