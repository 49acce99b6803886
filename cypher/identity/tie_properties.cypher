// Ties identities to the properties they live at: the first identity OWNS it, the rest of the
// household RESIDES_AT it. The tie lists the identity among its sources (see graph/_ties.py).
// $tenant, $ties: [{key, identity_id, owns}]
UNWIND $ties AS row
MATCH (n:Identity {identity_id: row.identity_id, tenant_id: $tenant}) USING INDEX SEEK n:Identity(identity_id)
MATCH (p:Property {key: row.key}) USING INDEX SEEK p:Property(key)
CALL (row, n, p) {
  WITH row WHERE row.owns
  MERGE (n)-[t:OWNS]->(p)
  WITH t, coalesce(t.sources, [row.identity_id]) AS sources
  SET t.sources = CASE WHEN row.identity_id IN sources THEN sources
                       ELSE sources + row.identity_id END
}
CALL (row, n, p) {
  WITH row WHERE NOT row.owns AND NOT EXISTS { (n)-[:OWNS]->(p) }
  MERGE (n)-[t:RESIDES_AT]->(p)
  WITH t, coalesce(t.sources, [row.identity_id]) AS sources
  SET t.sources = CASE WHEN row.identity_id IN sources THEN sources
                       ELSE sources + row.identity_id END
}
