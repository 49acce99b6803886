// Every journey of one storm, one row each, streamed as read (no sort), in the compact shape
// attribution encodes into arrays: touch times as epoch milliseconds, not DateTime values.
// Served by the (tenant_id, storm_id) index on :Journey.
// $tenant, $storm_id. Returns: journey_id, channels, touch_ms, converted, converted_ms, revenue
MATCH (j:Journey {tenant_id: $tenant, storm_id: $storm_id})
RETURN j.journey_id AS journey_id, j.channels AS channels,
       [t IN coalesce(j.touch_ts, []) | t.epochMillis] AS touch_ms,
       coalesce(j.converted, false) AS converted, j.converted_at.epochMillis AS converted_ms,
       coalesce(j.revenue, 0.0) AS revenue
