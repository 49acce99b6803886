// Gives $other back its property ties and removes from $from those the merge created.
// $tenant, $from, $other, $rows: [{key, rel, created}]
UNWIND $rows AS row
MATCH (p:Property {key: row.key})
MATCH (b:Identity {identity_id: $other, tenant_id: $tenant})
MATCH (cur:Identity {identity_id: $from, tenant_id: $tenant})
CALL (row, p, b) {
  WITH row WHERE row.rel = 'OWNS'
  MERGE (b)-[:OWNS]->(p)
}
CALL (row, p, b) {
  WITH row WHERE row.rel = 'RESIDES_AT'
  MERGE (b)-[:RESIDES_AT]->(p)
}
CALL (row, p, cur) {
  WITH row WHERE row.created
  MATCH (cur)-[t:OWNS|RESIDES_AT]->(p)
  DELETE t
}
