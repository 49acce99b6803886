// Links records to their identities, with the evidence of the pair that put each one there.
// A record already linked keeps its link (stable identities; merges move links).
// $tenant, $now, $links: [{key, identity_id, strength, method, match_probability,
//                          match_weight, model_version, evidence}]
UNWIND $links AS row
MATCH (r:Record {key: row.key}) USING INDEX SEEK r:Record(key)
WHERE NOT EXISTS { (r)-[:LINK]->() }
MATCH (n:Identity {identity_id: row.identity_id, tenant_id: $tenant}) USING INDEX SEEK n:Identity(identity_id)
CREATE (r)-[:LINK {strength: row.strength, method: row.method,
                   match_probability: row.match_probability, match_weight: row.match_weight,
                   model_version: row.model_version, evidence: row.evidence,
                   linked_at: $now}]->(n)
