// Merge candidates for reviewers, one per set of identities (key), never duplicated; a decided
// item stays decided.
// $tenant, $now, $items: [{key, item_id, evidence, reason, match_probability, identity_ids}].
// Returns: created, and open: the keys whose item is open after the write (a decided one is not)
UNWIND $items AS row
MERGE (r:ReviewItem {key: row.key})
  ON CREATE SET r.item_id = row.item_id, r.tenant_id = $tenant, r.kind = 'merge_candidate',
                r.status = 'open', r.created_at = $now, r.evidence = row.evidence,
                r.reason = row.reason, r.match_probability = row.match_probability,
                r._new = true
WITH r, row, r._new IS NOT NULL AS created
REMOVE r._new
WITH r, row, created
CALL (r, row) {
  UNWIND row.identity_ids AS identity_id
  MATCH (n:Identity {identity_id: identity_id, tenant_id: $tenant}) USING INDEX SEEK n:Identity(identity_id)
  MERGE (r)-[:CANDIDATE]->(n)
}
RETURN count(CASE WHEN created THEN 1 END) AS created,
       collect(CASE WHEN r.status = 'open' THEN r.key END) AS open
