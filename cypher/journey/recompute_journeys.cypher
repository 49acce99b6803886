// Recomputes journeys from their events, in order (ts, then event id): the touch path
// (channels, touch_ts), conversions, revenue and cost (rounded to cents), first and last event,
// and the latest play, uplift score, SII (else the storm's) and property carried by an event.
// A journey left without events is deleted. The journey is locked before its events are read
// and loses its Stale label: a writer appending meanwhile either commits first (and is read)
// or waits, and labels it Stale again.
// $journey_ids, $states. Returns: journey_id, identity_id, deleted, state (with $states, of a
// journey kept: as live/journey_states reads it, events in order; else null)
UNWIND $journey_ids AS journey_id
MATCH (j:Journey {journey_id: journey_id}) USING INDEX SEEK j:Journey(journey_id)
SET j._lock = true
REMOVE j._lock, j:Stale
WITH journey_id, j
CALL (j) {
  OPTIONAL MATCH (j)-[:HAS]->(t:Touchpoint)
  WITH t ORDER BY t.ts, t.event_id
  RETURN collect(t {.kind, .channel, .ts, .cost, .revenue, .play, .uplift, .sii,
                    .property_id}) AS events
}
OPTIONAL MATCH (j)-[:IN_STORM]->(s:Storm)
WITH journey_id, j, s, events, j.identity_id AS identity_id, size(events) = 0 AS deleted,
     [e IN events WHERE e.kind = 'touch'] AS touches,
     [e IN events WHERE e.kind = 'conversion'] AS conversions
WITH *, round(reduce(x = 0.0, e IN conversions | x + coalesce(e.revenue, 0.0)), 2) AS revenue
CALL (j, deleted) {
  WITH j WHERE deleted
  DETACH DELETE j
}
CALL (j, s, events, touches, conversions, revenue, deleted) {
  WITH j, s, events, touches, conversions, revenue WHERE NOT deleted
  SET j.touches = size(touches),
      j.channels = [e IN touches | e.channel],
      j.touch_ts = [e IN touches | e.ts],
      j.conversions = size(conversions),
      j.converted = size(conversions) > 0,
      j.converted_at = conversions[0].ts,
      j.revenue = revenue,
      j.cost = round(reduce(x = 0.0, e IN events | x + coalesce(e.cost, 0.0)), 2),
      j.started_at = events[0].ts,
      j.last_at = events[-1].ts,
      j.play = [e IN events WHERE e.play IS NOT NULL | e.play][-1],
      j.uplift_score = [e IN events WHERE e.uplift IS NOT NULL | e.uplift][-1],
      j.sii_score = coalesce([e IN events WHERE e.sii IS NOT NULL | e.sii][-1], s.sii),
      j.property_id = [e IN events WHERE e.property_id IS NOT NULL | e.property_id][-1]
}
RETURN journey_id, identity_id, deleted,
       CASE WHEN $states AND NOT deleted THEN {
         channels: [e IN touches | e.channel], touch_ms: [e IN touches | e.ts.epochMillis],
         converted: size(conversions) > 0, converted_ms: conversions[0].ts.epochMillis,
         revenue: revenue,
         events: [e IN events | [e.kind, e.channel, coalesce(e.cost, 0.0), e.ts.epochMillis]]
       } END AS state
