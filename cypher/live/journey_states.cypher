// Journeys as live attribution reads them: the touch path and outcome (the columns of
// attribution/read_storm_journeys) and every event (kind, channel, cost, epoch ms) in order
// (ts, event id), as journey/recompute_journeys returns them. Journeys that no longer exist
// (emptied by a merge) are simply absent.
// $tenant, $journey_ids. Returns: journey_id, channels, touch_ms, converted, converted_ms,
// revenue, events ([[kind, channel, cost, ts_ms]])
UNWIND $journey_ids AS journey_id
MATCH (j:Journey {journey_id: journey_id}) USING INDEX SEEK j:Journey(journey_id)
WHERE j.tenant_id = $tenant
RETURN j.journey_id AS journey_id, j.channels AS channels,
       [t IN coalesce(j.touch_ts, []) | t.epochMillis] AS touch_ms,
       coalesce(j.converted, false) AS converted, j.converted_at.epochMillis AS converted_ms,
       coalesce(j.revenue, 0.0) AS revenue,
       COLLECT {
         MATCH (j)-[:HAS]->(t:Touchpoint)
         WITH t ORDER BY t.ts, t.event_id
         RETURN [t.kind, t.channel, coalesce(t.cost, 0.0), t.ts.epochMillis]
       } AS events
