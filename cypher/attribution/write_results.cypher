// Upserts one batch of per-journey results of a run: one (:AttributionResult) per tenant,
// journey and method (key tenant|journey_id|method), linked to its journey. Re-running
// overwrites the node in place; results of journeys this run did not credit are removed by
// attribution/delete_stale_results.
// $tenant, $storm_id, $method, $run_id, $now,
// $rows: [{key, journey_id, credits (JSON channel -> credit), touch_credits, value}]
// Returns: written
UNWIND $rows AS row
MATCH (j:Journey {journey_id: row.journey_id})
WHERE j.tenant_id = $tenant
MERGE (r:AttributionResult {key: row.key})
SET r.tenant_id = $tenant, r.storm_id = $storm_id, r.journey_id = row.journey_id,
    r.method = $method, r.credits = row.credits, r.touch_credits = row.touch_credits,
    r.value = row.value, r.run_id = $run_id, r.calculated_at = $now
MERGE (r)-[:CREDITS]->(j)
RETURN count(r) AS written
