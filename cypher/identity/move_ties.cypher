// Moves $other's property ties to $into; `created` says whether $into lacked the tie before.
// $tenant, $into, $other. Returns: key, rel, created
MATCH (b:Identity {identity_id: $other, tenant_id: $tenant})-[t:OWNS|RESIDES_AT]->(p:Property)
MATCH (a:Identity {identity_id: $into, tenant_id: $tenant})
WITH a, p, t, type(t) AS rel, NOT EXISTS { (a)-[:OWNS|RESIDES_AT]->(p) } AS created
DELETE t
WITH a, p, rel, created
CALL (a, p, rel, created) {
  WITH rel WHERE created AND rel = 'OWNS'
  CREATE (a)-[:OWNS]->(p)
}
CALL (a, p, rel, created) {
  WITH rel WHERE created AND rel = 'RESIDES_AT'
  CREATE (a)-[:RESIDES_AT]->(p)
}
RETURN p.key AS key, rel, created
