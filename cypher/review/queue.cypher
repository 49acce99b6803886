// A page of the review queue, oldest first, filtered.
// $tenant, $status, $reason (or null), $identity_id (or null), $min_probability (or null),
// $max_probability (or null), $item_id (or null: one item), $offset, $limit. Returns: item
MATCH (r:ReviewItem {tenant_id: $tenant, status: $status})
WHERE ($item_id IS NULL OR r.item_id = $item_id)
  AND ($reason IS NULL OR r.reason = $reason)
  AND ($min_probability IS NULL OR r.match_probability >= $min_probability)
  AND ($max_probability IS NULL OR r.match_probability <= $max_probability)
  AND ($identity_id IS NULL
       OR EXISTS { (r)-[:CANDIDATE]->(:Identity {identity_id: $identity_id}) })
WITH r ORDER BY r.created_at, r.item_id SKIP $offset LIMIT $limit
RETURN r {.item_id, .kind, .status, .created_at, .evidence, .reason, .match_probability,
          .decided_by, .decided_at, .decision_reason, .event_ids,
          identity_ids: COLLECT { MATCH (r)-[:CANDIDATE]->(n:Identity)
                                  RETURN n.identity_id ORDER BY n.identity_id },
          undone_by: COLLECT { MATCH (e:MergeEvent {tenant_id: $tenant})
                               WHERE e.event_id IN coalesce(r.event_ids, [])
                                 AND e.undone_by IS NOT NULL
                               RETURN e.undone_by }} AS item
