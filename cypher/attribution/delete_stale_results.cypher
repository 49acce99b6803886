// Removes a storm's results of one method that the latest run (run_id) did not write.
// $tenant, $storm_id, $method, $run_id. Returns: deleted
MATCH (r:AttributionResult {tenant_id: $tenant, storm_id: $storm_id, method: $method})
WHERE r.run_id <> $run_id
DETACH DELETE r
RETURN count(*) AS deleted
