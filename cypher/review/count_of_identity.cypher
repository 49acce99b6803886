// How many review items naming one identity a queue filter matches.
// $tenant, $identity_id, $status, $reason, $min_probability, $max_probability (each or null).
// Returns: total
MATCH (:Identity {identity_id: $identity_id, tenant_id: $tenant})<-[:CANDIDATE]-(r:ReviewItem)
WHERE r.tenant_id = $tenant AND r.status = $status
  AND ($reason IS NULL OR r.reason = $reason)
  AND ($min_probability IS NULL OR r.match_probability >= $min_probability)
  AND ($max_probability IS NULL OR r.match_probability <= $max_probability)
RETURN count(r) AS total
