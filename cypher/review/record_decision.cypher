// Close a review item with the reviewer's decision.
// $tenant, $item_id, $status, $actor, $reason, $event_ids, $now
MATCH (r:ReviewItem {item_id: $item_id, tenant_id: $tenant})
SET r.status = $status, r.decided_by = $actor, r.decision_reason = $reason,
    r.decided_at = $now, r.event_ids = $event_ids
