// Lock a review item and read it with the live identity of each candidate.
// $tenant, $item_id. Returns: status, evidence, live_ids
MATCH (r:ReviewItem {item_id: $item_id, tenant_id: $tenant})
SET r._lock = true
REMOVE r._lock
RETURN r.status AS status, r.evidence AS evidence,
       COLLECT {
         MATCH (r)-[:CANDIDATE]->(n:Identity)
         OPTIONAL MATCH (n)-[:MERGED_INTO*1..]->(live:Identity {status: 'active'})
         RETURN DISTINCT coalesce(live.identity_id, n.identity_id)
       } AS live_ids
