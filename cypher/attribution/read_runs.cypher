// The storm-level summaries of a storm's latest runs, one per method ($method null: all).
// $tenant, $storm_id, $method. Returns: run (map of the run's properties)
MATCH (r:AttributionRun {tenant_id: $tenant, storm_id: $storm_id})
WHERE $method IS NULL OR r.method = $method
RETURN r {.*} AS run
ORDER BY r.method
