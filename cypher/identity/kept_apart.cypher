// Reviewers' "not the same person" decisions between two live identities, counting every
// identity merged into either.
// $tenant, $a, $b. Returns: item_id, decided_by, at
MATCH (a:Identity {identity_id: $a, tenant_id: $tenant}) USING INDEX SEEK a:Identity(identity_id)
MATCH (b:Identity {identity_id: $b, tenant_id: $tenant}) USING INDEX SEEK b:Identity(identity_id)
MATCH (a)<-[:MERGED_INTO*0..]-(x:Identity)-[c:CANNOT_LINK]-(y:Identity)-[:MERGED_INTO*0..]->(b)
RETURN DISTINCT c.item_id AS item_id, c.decided_by AS decided_by, c.at AS at
ORDER BY at
