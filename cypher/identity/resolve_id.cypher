// The live identity for an identity id: itself when active, else the end of its merge chain.
// $tenant, $identity_id. Returns: identity_id
MATCH (n:Identity {identity_id: $identity_id, tenant_id: $tenant}) USING INDEX SEEK n:Identity(identity_id)
OPTIONAL MATCH (n)-[:MERGED_INTO*1..]->(live:Identity {status: 'active'})
RETURN coalesce(live.identity_id, CASE WHEN n.status = 'active' THEN n.identity_id END)
       AS identity_id
