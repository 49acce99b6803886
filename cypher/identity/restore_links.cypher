// Puts links a merge moved back on $other, with their original properties, for those still on
// $from (the live survivor); links moved elsewhere since are left alone.
// $tenant, $from, $other, $rows: [{key, props}]. Returns: key (restored)
UNWIND $rows AS row
CALL (row) {
  MATCH (n:Identifier {key: row.key}) USING INDEX SEEK n:Identifier(key) RETURN n
  UNION
  MATCH (n:Record {key: row.key}) USING INDEX SEEK n:Record(key) RETURN n
}
WITH row, n AS i
MATCH (i)-[l:LINK]->(:Identity {identity_id: $from, tenant_id: $tenant})
MATCH (b:Identity {identity_id: $other, tenant_id: $tenant}) USING INDEX SEEK b:Identity(identity_id)
DELETE l
CREATE (i)-[r:LINK]->(b)
SET r = row.props
RETURN i.key AS key
