// Ties identities to the properties they live at: the first identity OWNS it, the rest of the
// household RESIDES_AT it.
// $tenant, $ties: [{key, identity_id, owns}]
UNWIND $ties AS row
MATCH (n:Identity {identity_id: row.identity_id, tenant_id: $tenant})
MATCH (p:Property {key: row.key})
CALL (row, n, p) {
  WITH row WHERE row.owns
  MERGE (n)-[:OWNS]->(p)
}
CALL (row, n, p) {
  WITH row WHERE NOT row.owns AND NOT EXISTS { (n)-[:OWNS]->(p) }
  MERGE (n)-[:RESIDES_AT]->(p)
}
