// Records as observed (normalized attributes; unmapped columns as JSON in `extra`), each tied
// to its blocking keys so an online record finds its candidates by index. Re-writing a record
// replaces its attributes and blocking keys; its identity link is left alone.
// $tenant, $now, $records: [{key, record_id, props, extra, blocks: [key]}]
UNWIND $records AS row
MERGE (r:Record {key: row.key})
  ON CREATE SET r.tenant_id = $tenant, r.record_id = row.record_id, r.ingested_at = $now
SET r += row.props, r.extra = row.extra
WITH r, row
CALL (r, row) {
  MATCH (r)-[old:BLOCKED_BY]->(b:BlockKey)
  WHERE NOT b.key IN row.blocks
  DELETE old
}
CALL (r, row) {
  UNWIND row.blocks AS block
  MERGE (b:BlockKey {key: block})
    ON CREATE SET b.tenant_id = $tenant
  MERGE (r)-[:BLOCKED_BY]->(b)
}
