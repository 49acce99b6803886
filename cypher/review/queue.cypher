// The item ids of a page of the review queue, oldest first, filtered: one walk of the
// review_item_page index in its order, stopped at the page's end (ordering by the index's
// every property, the equal ones too, is what lets the planner take the index's order
// instead of sorting the whole queue).
// $tenant, $status, $reason, $min_probability, $max_probability (each or null), $offset,
// $limit. Returns: item_id
MATCH (r:ReviewItem {tenant_id: $tenant, status: $status})
WHERE r.created_at IS NOT NULL AND r.item_id IS NOT NULL
  AND ($reason IS NULL OR r.reason = $reason)
  AND ($min_probability IS NULL OR r.match_probability >= $min_probability)
  AND ($max_probability IS NULL OR r.match_probability <= $max_probability)
RETURN r.item_id AS item_id
ORDER BY r.tenant_id, r.status, r.created_at, r.item_id SKIP $offset LIMIT $limit
