// One storm of the tenant with its journeys, conversions, revenue and impacted properties.
// $tenant, $key (tenant|storm_id). Returns: storm (no row for an unknown storm)
MATCH (s:Storm {key: $key, tenant_id: $tenant})
CALL (s) {
  OPTIONAL MATCH (j:Journey {tenant_id: $tenant, storm_id: s.storm_id})
  RETURN count(j) AS journeys, count(CASE WHEN j.converted THEN 1 END) AS converted,
         sum(coalesce(j.revenue, 0.0)) AS revenue
}
RETURN s {.storm_id, .name, .date, .sii, journeys: journeys, converted: converted,
          revenue: revenue, impacted_properties: COUNT { (s)-[:IMPACTED]->(:Property) },
          experiments: COUNT { MATCH (e:Experiment {tenant_id: $tenant})
                               WHERE e.storm_id = s.storm_id }} AS storm
