// The item ids of a page of the review items naming one identity, oldest first, filtered:
// read from the identity's few items, not the tenant's queue.
// $tenant, $identity_id, $status, $reason, $min_probability, $max_probability (each or null),
// $offset, $limit. Returns: item_id
MATCH (:Identity {identity_id: $identity_id, tenant_id: $tenant})<-[:CANDIDATE]-(r:ReviewItem)
WHERE r.tenant_id = $tenant AND r.status = $status
  AND ($reason IS NULL OR r.reason = $reason)
  AND ($min_probability IS NULL OR r.match_probability >= $min_probability)
  AND ($max_probability IS NULL OR r.match_probability <= $max_probability)
RETURN r.item_id AS item_id
ORDER BY r.created_at, r.item_id SKIP $offset LIMIT $limit
