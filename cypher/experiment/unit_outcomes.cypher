// Each assigned property's arm and outcome in a storm: whether anyone living there converted,
// and the revenue of their journeys. One row of parallel lists, which the driver reads far
// faster than a record per property.
// $tenant, $experiment_id, $storm_id.
// Returns: variants, units, property_ids, converted, revenue, plays (lists, aligned; a play is
// that of a journey there, null where nobody there has a journey in the storm)
MATCH (:Experiment {experiment_id: $experiment_id, tenant_id: $tenant})-[a:ASSIGNED]->(p:Property)
OPTIONAL MATCH (p)<-[:OWNS|RESIDES_AT]-(:Identity)-[:JOURNEY]->(j:Journey {storm_id: $storm_id})
WITH a, p, collect(j) AS journeys
WITH a.variant AS variant, a.unit AS unit, p.property_id AS property_id,
     any(j IN journeys WHERE j.converted) AS converted,
     reduce(total = 0.0, j IN journeys | total + coalesce(j.revenue, 0.0)) AS revenue,
     [j IN journeys WHERE j.play IS NOT NULL | j.play][0] AS play
RETURN collect(variant) AS variants, collect(unit) AS units,
       collect(property_id) AS property_ids, collect(converted) AS converted,
       collect(revenue) AS revenue, collect(coalesce(play, '')) AS plays
