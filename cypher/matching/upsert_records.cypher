// Records as observed: normalized attributes, blocking-key slots (block_0..block_15, indexed,
// null where the record lacks the key's columns) and unmapped columns as JSON in `extra`.
// Re-writing a record replaces all of these; its identity link is left alone.
// $tenant, $now, $records: [{key, record_id, props, extra}]
// Returns: record_id, identity_id (the identity it is linked to already, else null)
UNWIND $records AS row
MERGE (r:Record {key: row.key})
  ON CREATE SET r.tenant_id = $tenant, r.record_id = row.record_id, r.ingested_at = $now
SET r += row.props, r.extra = row.extra
WITH r
OPTIONAL MATCH (r)-[:LINK]->(i:Identity)
RETURN r.record_id AS record_id, i.identity_id AS identity_id
