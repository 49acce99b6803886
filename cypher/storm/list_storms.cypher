// The tenant's storms, newest first, with their journeys, conversions, revenue and impacted
// properties. $tenant. Returns: storm
MATCH (s:Storm {tenant_id: $tenant})
CALL (s) {
  OPTIONAL MATCH (j:Journey {tenant_id: $tenant, storm_id: s.storm_id})
  RETURN count(j) AS journeys, count(CASE WHEN j.converted THEN 1 END) AS converted,
         sum(coalesce(j.revenue, 0.0)) AS revenue
}
RETURN s {.storm_id, .name, .date, .sii, journeys: journeys, converted: converted,
          revenue: revenue, impacted_properties: COUNT { (s)-[:IMPACTED]->(:Property) },
          experiments: COUNT { MATCH (e:Experiment {tenant_id: $tenant})
                               WHERE e.storm_id = s.storm_id }} AS storm
ORDER BY s.date DESC, s.storm_id
