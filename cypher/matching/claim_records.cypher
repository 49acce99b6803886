// Online records' first step, in one round trip: take their link locks (each blocking key
// hashed onto a fixed set of lock nodes per tenant, no values stored; sorted by the caller),
// so links that could be each other's candidates run one after the other; then store the
// records as matching/upsert_records does, and read the tenant's erasure count.
// $tenant, $now, $locks (tenant|lock|n, sorted), $rows: [{key, record_id, props, extra, line}]
// Returns per row: key, identity_id (linked already, else null), epoch
CALL () {
  UNWIND $locks AS key
  MERGE (l:LinkLock {key: key})
    ON CREATE SET l.tenant_id = $tenant
  SET l._lock = true
  REMOVE l._lock
}
UNWIND $rows AS row
MERGE (r:Record {key: row.key})
  ON CREATE SET r.tenant_id = $tenant, r.record_id = row.record_id, r.ingested_at = $now
SET r += row.props, r.extra = row.extra, r.line = coalesce(row.line, r.line)
RETURN row.key AS key, COLLECT { MATCH (r)-[:LINK]->(i) RETURN i.identity_id }[0]
       AS identity_id, COUNT { MATCH (e:Erasure {tenant_id: $tenant}) } AS epoch
