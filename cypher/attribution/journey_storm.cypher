// The storm of one journey of the tenant (no row when the tenant has no such journey).
// $tenant, $journey_id. Returns: storm_id
MATCH (j:Journey {journey_id: $journey_id})
WHERE j.tenant_id = $tenant
RETURN j.storm_id AS storm_id
