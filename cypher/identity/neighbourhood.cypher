// An identity's neighbourhood, for a picture of it: its identifiers with link strength and
// method, the properties it is tied to with the other identities tied there, and every
// identity merged into it (the whole chain, each with the one it was merged into).
// $tenant, $identity_id, $limit (most of each list).
// Returns: identity, identifiers, properties, merged (no row for an unknown id)
MATCH (n:Identity {identity_id: $identity_id, tenant_id: $tenant}) USING INDEX SEEK n:Identity(identity_id)
RETURN n {.identity_id, .status, .merged_into, .created_at} AS identity,
       COLLECT {
         MATCH (i:Identifier)-[l:LINK]->(n)
         RETURN i {.type, .value, strength: l.strength, method: l.method}
         ORDER BY i.type, i.value LIMIT $limit
       } AS identifiers,
       COLLECT {
         MATCH (n)-[t:OWNS|RESIDES_AT]->(p:Property)
         RETURN p {.property_id, .zip, relation: type(t),
                   residents: COLLECT {
                     MATCH (p)<-[u:OWNS|RESIDES_AT]-(o:Identity)
                     WHERE o <> n
                     RETURN o {.identity_id, relation: type(u)}
                     ORDER BY o.identity_id LIMIT $limit
                   }}
         ORDER BY p.property_id LIMIT $limit
       } AS properties,
       COLLECT {
         MATCH (m:Identity)-[:MERGED_INTO*1..]->(n)
         RETURN m {.identity_id, .status, .merged_into}
         ORDER BY m.identity_id LIMIT $limit
       } AS merged
