// Journeys of a storm whose live part is missing or was computed from other events (the
// fingerprint differs: a bulk load, a merge, an unmerge), and parts whose journey is gone.
// $tenant, $storm_id. Returns: journey_id
MATCH (j:Journey {tenant_id: $tenant, storm_id: $storm_id})
OPTIONAL MATCH (s:LiveShare {key: $tenant + '|' + j.journey_id})
WITH j, s
WHERE s IS NULL OR s.fingerprint <> [toFloat(coalesce(j.touches, 0)),
                                     toFloat(coalesce(j.conversions, 0)),
                                     toFloat(coalesce(j.revenue, 0.0)),
                                     toFloat(j.last_at.epochMillis)]
RETURN j.journey_id AS journey_id
UNION
MATCH (s:LiveShare {tenant_id: $tenant, storm_id: $storm_id})
WHERE NOT EXISTS { MATCH (:Journey {journey_id: s.journey_id}) }
RETURN s.journey_id AS journey_id
