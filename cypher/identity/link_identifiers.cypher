// Deterministic links (strength 1.0) to existing identities. Each identity is locked first, so
// a concurrent merge either sees the new links or waits for them; the identifiers were locked
// and found unlinked by identity/lock_identifiers.
// $tenant, $now, $identities: [{identity_id, links: [{key, evidence}]}]
UNWIND $identities AS row
MATCH (n:Identity {identity_id: row.identity_id, tenant_id: $tenant}) USING INDEX SEEK n:Identity(identity_id)
SET n._lock = true
REMOVE n._lock
WITH n, row
UNWIND row.links AS link
MATCH (i:Identifier {key: link.key}) USING INDEX SEEK i:Identifier(key)
CREATE (i)-[:LINK {strength: 1.0, method: 'deterministic', linked_at: $now,
                   evidence: link.evidence}]->(n)
