// Every journey of one storm, one row each, streamed as read (no sort): the touch path as
// parallel lists (channels; touch_ms, epoch milliseconds) plus the outcome, ready to encode
// into arrays. Times are epoch milliseconds (integers pack fast; datetimes do not).
// $tenant, $storm_id. Returns: journey_id, identity_id, channels, touch_ms, converted,
// converted_ms, conversions, revenue, cost, play, uplift_score, sii_score, property_id
MATCH (j:Journey {tenant_id: $tenant, storm_id: $storm_id})
RETURN j.journey_id AS journey_id, j.identity_id AS identity_id, j.channels AS channels,
       [ts IN j.touch_ts | ts.epochMillis] AS touch_ms, j.converted AS converted,
       j.converted_at.epochMillis AS converted_ms, j.conversions AS conversions,
       j.revenue AS revenue, j.cost AS cost, j.play AS play, j.uplift_score AS uplift_score,
       j.sii_score AS sii_score, j.property_id AS property_id
