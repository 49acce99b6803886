// One identity with its identifiers and records (and link strength, method, evidence) and
// properties.
// $tenant, $identity_id. Returns: identity, identifiers, records, properties
MATCH (n:Identity {identity_id: $identity_id, tenant_id: $tenant}) USING INDEX SEEK n:Identity(identity_id)
RETURN n {.*} AS identity,
       COLLECT {
         MATCH (i:Identifier)-[l:LINK]->(n)
         RETURN i {.type, .value, strength: l.strength, method: l.method,
                   linked_at: l.linked_at, evidence: l.evidence,
                   match_probability: l.match_probability, model_version: l.model_version}
         ORDER BY i.type, i.value
       } AS identifiers,
       COLLECT {
         MATCH (r:Record)-[l:LINK]->(n)
         RETURN r {.record_id, .source, strength: l.strength, method: l.method,
                   linked_at: l.linked_at, evidence: l.evidence,
                   match_probability: l.match_probability, match_weight: l.match_weight,
                   model_version: l.model_version}
         ORDER BY r.record_id
       } AS records,
       COLLECT {
         MATCH (n)-[t:OWNS|RESIDES_AT]->(p:Property)
         RETURN p {.property_id, relation: type(t)}
         ORDER BY p.property_id
       } AS properties
