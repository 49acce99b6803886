// What a person's journeys add to stored attribution: per journey its storm and its results,
// and the runs of those storms (to take the person out of their totals).
// $tenant, $identity_ids. Returns: journeys ([journey_id, storm_id]), results
// ([storm_id, method, credits (JSON), value]), runs ([key, storm_id, method, channels
// (JSON), journeys, attributed, converted, total_value])
MATCH (n:Identity {tenant_id: $tenant})-[:JOURNEY]->(j:Journey)
WHERE n.identity_id IN $identity_ids
WITH collect(j) AS js
RETURN [j IN js | [j.journey_id, j.storm_id]] AS journeys,
       COLLECT { UNWIND js AS j MATCH (r:AttributionResult)-[:CREDITS]->(j)
                 RETURN [r.storm_id, r.method, r.credits, r.value] } AS results,
       COLLECT { UNWIND js AS j MATCH (run:AttributionRun {tenant_id: $tenant, storm_id: j.storm_id})
                 RETURN DISTINCT [run.key, run.storm_id, run.method, run.channels, run.journeys,
                                  run.attributed,
                                  run.converted, run.total_value] } AS runs
