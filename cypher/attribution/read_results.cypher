// One page of a storm's per-journey results for one method, in journey order.
// $tenant, $storm_id, $method, $skip, $limit.
// Returns: journey_id, credits (JSON), touch_credits, value, calculated_at
MATCH (r:AttributionResult {tenant_id: $tenant, storm_id: $storm_id, method: $method})
RETURN r.journey_id AS journey_id, r.credits AS credits, r.touch_credits AS touch_credits,
       r.value AS value, r.calculated_at AS calculated_at
ORDER BY journey_id
SKIP $skip LIMIT $limit
