// How many review items a queue filter matches: counted on the review_item_page index
// (no item is read unless a reason or probability filter needs its properties).
// $tenant, $status, $reason, $min_probability, $max_probability (each or null).
// Returns: total
MATCH (r:ReviewItem {tenant_id: $tenant, status: $status})
WHERE r.created_at IS NOT NULL AND r.item_id IS NOT NULL
  AND ($reason IS NULL OR r.reason = $reason)
  AND ($min_probability IS NULL OR r.match_probability >= $min_probability)
  AND ($max_probability IS NULL OR r.match_probability <= $max_probability)
RETURN count(r) AS total
