// Identity pairs reviewers said are different people, each side followed to its live identity.
// $tenant. Returns: a, b
MATCH (x:Identity)-[:CANNOT_LINK]->(y:Identity)
WHERE x.tenant_id = $tenant
OPTIONAL MATCH (x)-[:MERGED_INTO*1..]->(lx:Identity {status: 'active'})
OPTIONAL MATCH (y)-[:MERGED_INTO*1..]->(ly:Identity {status: 'active'})
WITH coalesce(lx, x) AS a, coalesce(ly, y) AS b
WHERE a <> b
RETURN DISTINCT a.identity_id AS a, b.identity_id AS b
