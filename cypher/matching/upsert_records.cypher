// Records as observed: normalized attributes, blocking-key slots (block_0..block_15, indexed,
// null where the record lacks the key's columns), unmapped columns as JSON in `extra` and the
// line of the source file it came from. Re-writing a record replaces its attributes and slots;
// its extra columns and line are kept when the new write has none (a model retrained over
// stored records rewrites their slots only); its identity link is left alone.
// $tenant, $now, $records: [{key, record_id, props, extra, line}]
// Returns: record_id, identity_id (the identity it is linked to already, else null)
UNWIND $records AS row
MERGE (r:Record {key: row.key})
  ON CREATE SET r.tenant_id = $tenant, r.record_id = row.record_id, r.ingested_at = $now
SET r += row.props, r.extra = coalesce(row.extra, r.extra), r.line = coalesce(row.line, r.line)
WITH r
OPTIONAL MATCH (r)-[:LINK]->(i)
RETURN r.record_id AS record_id, i.identity_id AS identity_id
