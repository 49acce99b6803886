// A tenant's touchpoints summed per week (weeks start on Monday), kind and channel: touch
// cost per channel, conversions and their revenue. Read through the journeys, whose
// (tenant_id, storm_id) index finds the tenant's touchpoints without a label scan.
// $tenant, $since, $until (datetimes or null: the whole history).
// Returns: week (ISO date of the Monday), kind, channel, cost, events, revenue
MATCH (j:Journey)
WHERE j.tenant_id = $tenant AND j.storm_id IS NOT NULL
MATCH (j)-[:HAS]->(t:Touchpoint)
WHERE ($since IS NULL OR t.ts >= $since) AND ($until IS NULL OR t.ts < $until)
WITH toString(date.truncate('week', t.ts)) AS week, t.kind AS kind,
     coalesce(t.channel, '') AS channel, t
RETURN week, kind, channel, sum(coalesce(t.cost, 0.0)) AS cost, count(t) AS events,
       sum(coalesce(t.revenue, 0.0)) AS revenue
ORDER BY week, kind, channel
