// Deterministic links of a batch (strength 1.0); the identity is locked so a concurrent merge
// either sees the new link or waits for it. Existing links are left as they are.
// $tenant, $now, $links: [{key, identity_id, evidence}]
// Returns: created (links that did not exist before)
UNWIND $links AS row
MATCH (n:Identity {identity_id: row.identity_id, tenant_id: $tenant})
SET n._lock = true
REMOVE n._lock
WITH n, row
MATCH (i:Identifier {key: row.key})
MERGE (i)-[l:LINK]->(n)
  ON CREATE SET l.strength = 1.0, l.method = 'deterministic', l.linked_at = $now,
                l.evidence = row.evidence, l._new = true
WITH l, l._new IS NOT NULL AS created
REMOVE l._new
RETURN count(CASE WHEN created THEN 1 END) AS created
