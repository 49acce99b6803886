// New identities of a batch, each with its first deterministic links (strength 1.0). The
// identifiers were locked and found unlinked by identity/lock_identifiers.
// $tenant, $now, $identities: [{identity_id, first_name, last_name, links: [{key, evidence}]}]
UNWIND $identities AS row
CREATE (n:Identity {identity_id: row.identity_id, tenant_id: $tenant, status: 'active',
                    created_at: $now, first_name: row.first_name, last_name: row.last_name})
WITH n, row
UNWIND row.links AS link
MATCH (i:Identifier {key: link.key}) USING INDEX SEEK i:Identifier(key)
CREATE (i)-[:LINK {strength: 1.0, method: 'deterministic', linked_at: $now,
                   evidence: link.evidence}]->(n)
