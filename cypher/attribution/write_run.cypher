// Upserts the storm-level summary of a run of one method (key tenant|storm_id|method), linked
// to the storm when it exists.
// $tenant, $storm_id, $method, $run_id, $now, $run: {key, channels (JSON channel -> credit),
//   journeys, attributed, converted, total_value, skipped, details (JSON), config (JSON)}
// Returns: key
MERGE (r:AttributionRun {key: $run.key})
SET r += $run, r.tenant_id = $tenant, r.storm_id = $storm_id, r.method = $method,
    r.run_id = $run_id, r.calculated_at = $now
WITH r
OPTIONAL MATCH (s:Storm {key: $tenant + '|' + $storm_id})
FOREACH (storm IN CASE WHEN s IS NULL THEN [] ELSE [s] END | MERGE (r)-[:FOR_STORM]->(storm))
RETURN r.key AS key
