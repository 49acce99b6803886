// The properties a storm hit: those it measured (IMPACTED) and the homes of everyone with a
// journey in it, each with its zip (the property's own, else one its residents' records give)
// and the highest uplift score of a journey there, for stratified designs.
// $tenant, $key (tenant|storm_id), $storm_id. Returns: property_id, zip, uplift
MATCH (s:Storm {key: $key, tenant_id: $tenant})
CALL (s) {
  MATCH (s)-[:IMPACTED]->(p:Property)
  RETURN p
  UNION
  MATCH (:Journey {tenant_id: $tenant, storm_id: $storm_id})<-[:JOURNEY]-(:Identity)
        -[:OWNS|RESIDES_AT]->(p:Property)
  RETURN p
}
WITH DISTINCT p
CALL (p) {
  OPTIONAL MATCH (p)<-[:OWNS|RESIDES_AT]-(:Identity)-[:JOURNEY]->(j:Journey {storm_id: $storm_id})
  RETURN max(j.uplift_score) AS uplift
}
CALL (p) {
  OPTIONAL MATCH (p)<-[:OWNS|RESIDES_AT]-(:Identity)<-[:LINK]-(r:Record)
  WHERE r.property_id = p.property_id AND r.zip IS NOT NULL
  RETURN r.zip AS record_zip
  LIMIT 1
}
RETURN p.property_id AS property_id, coalesce(p.zip, record_zip) AS zip, uplift
ORDER BY property_id
