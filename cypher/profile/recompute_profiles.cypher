// Recomputes and stores the profiles of identities from their journeys (see graph/profiles.py
// for the fields). An identity without journeys (merged away, or no events) loses its profile.
// Segment: the first of $rules the profile matches.
// $tenant, $identity_ids, $now, $returning (bool: return the profiles written),
// $rules: [{name, min_ltv, max_ltv, min_conversions, max_conversions, min_storms, max_storms,
//           min_inactive_days}] (null bounds are open)
// Returns: identity_id, profile (null unless $returning; timestamps as ISO text), for
// each identity that has one
UNWIND $identity_ids AS identity_id
MATCH (n:Identity {identity_id: identity_id, tenant_id: $tenant}) USING INDEX SEEK n:Identity(identity_id)
WITH n, identity_id,
     CASE WHEN n.status = 'active'
          THEN COLLECT { MATCH (n)-[:JOURNEY]->(j:Journey) RETURN j } ELSE [] END AS js
CALL (n, js) {
  WITH n WHERE size(js) = 0
  MATCH (n)-[:HAS_PROFILE]->(gone:Profile)
  DETACH DELETE gone
}
OPTIONAL CALL (js) {
  UNWIND js AS j
  UNWIND range(0, size(j.channels) - 1) AS i
  WITH j.channels[i] AS channel, j.touch_ts[i] AS ts
  WITH channel, count(*) AS touches, max(ts) AS last
  ORDER BY touches DESC, last DESC, channel
  RETURN channel AS primary_channel
  LIMIT 1
}
WITH n, identity_id, js, primary_channel,
     reduce(x = 0, j IN js | x + j.conversions) AS conversions,
     round(reduce(x = 0.0, j IN js | x + j.revenue), 2) AS ltv,
     [j IN js WHERE j.sii_score IS NOT NULL | j.sii_score] AS siis,
     [j IN js WHERE j.uplift_score IS NOT NULL | j.uplift_score] AS uplifts,
     reduce(x = null, j IN js | CASE WHEN x IS NULL OR j.last_at > x THEN j.last_at ELSE x END)
       AS last_at
CALL (n, identity_id, js, primary_channel, conversions, ltv, siis, uplifts, last_at) {
  WITH * WHERE size(js) > 0
  MERGE (p:Profile {identity_id: identity_id})
    ON CREATE SET p.tenant_id = $tenant
  SET p.total_storms = size(js),
      p.total_conversions = conversions,
      p.lifetime_value = ltv,
      p.ltv_rank = right('00000000000000' + toString(toInteger(round(ltv * 100))), 15) + '|'
                   + identity_id,
      p.avg_sii_score = CASE WHEN size(siis) > 0
                             THEN reduce(x = 0.0, v IN siis | x + v) / size(siis) END,
      p.avg_uplift = CASE WHEN size(uplifts) > 0
                          THEN reduce(x = 0.0, v IN uplifts | x + v) / size(uplifts) END,
      p.primary_channel = primary_channel,
      p.storms = COLLECT { UNWIND js AS j RETURN j.storm_id ORDER BY j.storm_id },
      p.total_touches = reduce(x = 0, j IN js | x + j.touches),
      p.total_cost = round(reduce(x = 0.0, j IN js | x + j.cost), 2),
      p.first_seen = reduce(x = null, j IN js |
                            CASE WHEN x IS NULL OR j.started_at < x THEN j.started_at ELSE x END),
      p.last_event_at = last_at,
      p.last_updated = $now,
      p.segment = [r IN $rules WHERE
                     (r.min_ltv IS NULL OR ltv >= r.min_ltv)
                     AND (r.max_ltv IS NULL OR ltv <= r.max_ltv)
                     AND (r.min_conversions IS NULL OR conversions >= r.min_conversions)
                     AND (r.max_conversions IS NULL OR conversions <= r.max_conversions)
                     AND (r.min_storms IS NULL OR size(js) >= r.min_storms)
                     AND (r.max_storms IS NULL OR size(js) <= r.max_storms)
                     AND (r.min_inactive_days IS NULL
                          OR last_at <= $now - duration({days: r.min_inactive_days}))
                   | r.name][0]
  MERGE (n)-[:HAS_PROFILE]->(p)
  RETURN CASE WHEN $returning THEN
           p {.identity_id, .total_storms, .total_conversions, .lifetime_value, .avg_sii_score,
              .avg_uplift, .primary_channel, .segment, .storms, .total_touches, .total_cost,
              last_updated: toString(p.last_updated), first_seen: toString(p.first_seen),
              last_event_at: toString(p.last_event_at)} END AS profile
}
RETURN identity_id, profile
