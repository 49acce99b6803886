// An identity's journeys (following a merged id to the live identity), each with its events
// in order. Timestamps come as ISO text (the driver builds datetimes slowly).
// $tenant, $identity_id. Returns: identity_id, journeys
MATCH (n:Identity {identity_id: $identity_id, tenant_id: $tenant}) USING INDEX SEEK n:Identity(identity_id)
OPTIONAL MATCH (n)-[:MERGED_INTO*1..]->(live:Identity {status: 'active'})
WITH coalesce(live, n) AS m
RETURN m.identity_id AS identity_id,
       COLLECT {
         MATCH (m)-[:JOURNEY]->(j:Journey)
         OPTIONAL MATCH (j)-[:IN_STORM]->(s:Storm)
         RETURN j {.journey_id, .storm_id, .touches, .channels, .conversions, .converted,
                   .revenue, .cost, .play, .uplift_score, .sii_score, .property_id,
                   storm_name: s.name, storm_date: toString(s.date),
                   started_at: toString(j.started_at), last_at: toString(j.last_at),
                   converted_at: toString(j.converted_at),
                   touch_ts: [ts IN j.touch_ts | toString(ts)],
                   events: COLLECT {
                     MATCH (j)-[:HAS]->(t:Touchpoint)
                     RETURN t {.event_id, .kind, .channel, .cost, .revenue, .campaign,
                               .creative, .play, .sii, .uplift, .property_id,
                               ts: toString(t.ts)}
                     ORDER BY t.ts, t.event_id
                   }}
         ORDER BY j.started_at, j.storm_id
       } AS journeys
