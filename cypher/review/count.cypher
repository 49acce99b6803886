// How many review items a queue filter matches.
// $tenant, $status, $reason, $identity_id, $min_probability, $max_probability (each or null).
// Returns: total
MATCH (r:ReviewItem {tenant_id: $tenant, status: $status})
WHERE ($reason IS NULL OR r.reason = $reason)
  AND ($min_probability IS NULL OR r.match_probability >= $min_probability)
  AND ($max_probability IS NULL OR r.match_probability <= $max_probability)
  AND ($identity_id IS NULL
       OR EXISTS { (r)-[:CANDIDATE]->(:Identity {identity_id: $identity_id}) })
RETURN count(r) AS total
