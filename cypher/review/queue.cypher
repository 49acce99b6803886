// A page of the review queue, oldest first, with the candidate identities.
// $tenant, $status, $offset, $limit. Returns: item
MATCH (r:ReviewItem {tenant_id: $tenant, status: $status})
WITH r ORDER BY r.created_at, r.item_id SKIP $offset LIMIT $limit
RETURN r {.item_id, .kind, .status, .created_at, .evidence, .decided_by, .decided_at,
          .decision_reason, .event_ids,
          identity_ids: COLLECT { MATCH (r)-[:CANDIDATE]->(n:Identity)
                                  RETURN n.identity_id ORDER BY n.identity_id }} AS item
