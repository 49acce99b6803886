// A run's totals with an erased person taken out.
// $tenant, $runs: [{key, channels (JSON), journeys, attributed, converted, total_value}]
UNWIND $runs AS row
MATCH (r:AttributionRun {key: row.key})
WHERE r.tenant_id = $tenant
SET r.channels = row.channels, r.journeys = row.journeys, r.attributed = row.attributed,
    r.converted = row.converted, r.total_value = row.total_value
