// Replaces identities' ties to given properties: each row's ties are deleted, then one tie
// per relationship type that still has sources is created.
// $tenant, $rows: [{identity_id, key, ties: [{rel: OWNS|RESIDES_AT, sources}]}]
UNWIND $rows AS row
MATCH (n:Identity {identity_id: row.identity_id, tenant_id: $tenant}) USING INDEX SEEK n:Identity(identity_id)
MATCH (p:Property {key: row.key}) USING INDEX SEEK p:Property(key)
CALL (n, p) {
  MATCH (n)-[t:OWNS|RESIDES_AT]->(p)
  DELETE t
}
CALL (row, n, p) {
  UNWIND [tie IN row.ties WHERE tie.rel = 'OWNS'] AS tie
  CREATE (n)-[:OWNS {sources: tie.sources}]->(p)
}
CALL (row, n, p) {
  UNWIND [tie IN row.ties WHERE tie.rel = 'RESIDES_AT'] AS tie
  CREATE (n)-[:RESIDES_AT {sources: tie.sources}]->(p)
}
