// Summaries of the identities review items name: status, identifiers, records (a few),
// properties, storms.
// $tenant, $identity_ids. Returns: side
UNWIND $identity_ids AS identity_id
MATCH (n:Identity {identity_id: identity_id, tenant_id: $tenant}) USING INDEX SEEK n:Identity(identity_id)
RETURN n {.identity_id, .status, .merged_into,
          identifiers: COLLECT { MATCH (i:Identifier)-[:LINK]->(n)
                                 RETURN i {.type, .value} ORDER BY i.type, i.value LIMIT 25 },
          records: COLLECT { MATCH (x:Record)-[:LINK]->(n)
                             RETURN x {.record_id, .source, .first_name, .last_name, .dob,
                                       .email, .phone, .street_number, .address, .city, .zip}
                             ORDER BY x.record_id LIMIT 10 },
          record_count: COUNT { (:Record)-[:LINK]->(n) },
          properties: COLLECT { MATCH (n)-[:OWNS|RESIDES_AT]->(p:Property)
                                RETURN p.property_id ORDER BY p.property_id },
          storms: COLLECT { MATCH (n)-[:JOURNEY]->(:Journey)-[:IN_STORM]->(s:Storm)
                            RETURN DISTINCT s.storm_id ORDER BY s.storm_id }} AS side
