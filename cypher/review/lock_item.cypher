// Lock a review item, then the live identity of each candidate (in id order, as
// identity/lock_identities does, so writers never deadlock on order), and read them: a
// decision's first step in one round trip.
// $tenant, $item_id. Returns: status, evidence, live: [{identity_id, status}] (read under
// the identities' locks)
MATCH (r:ReviewItem {item_id: $item_id, tenant_id: $tenant})
SET r._lock = true
REMOVE r._lock
WITH r, COLLECT {
  MATCH (r)-[:CANDIDATE]->(n:Identity)
  OPTIONAL MATCH (n)-[:MERGED_INTO*1..]->(live:Identity {status: 'active'})
  WITH DISTINCT coalesce(live, n) AS live
  RETURN live ORDER BY live.identity_id
} AS lives
CALL (lives) {
  UNWIND lives AS n
  SET n._lock = true
  REMOVE n._lock
}
RETURN r.status AS status, r.evidence AS evidence,
       [n IN lives | {identity_id: n.identity_id, status: n.status}] AS live
