// A tenant's dated storms and their storm-wide SII, the demand control of the mix model.
// $tenant. Returns: storm_id, date (ISO), sii
MATCH (s:Storm {tenant_id: $tenant})
WHERE s.date IS NOT NULL
RETURN s.storm_id AS storm_id, toString(s.date) AS date, coalesce(s.sii, 0.0) AS sii
ORDER BY date, storm_id
