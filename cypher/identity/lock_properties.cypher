// Merge a batch's Property nodes, lock them, and read their owners.
// $tenant, $now, $properties: [{key, property_id}]
// Returns: key, owner_id (null when nobody owns it yet)
UNWIND $properties AS row
MERGE (p:Property {key: row.key})
  ON CREATE SET p.tenant_id = $tenant, p.property_id = row.property_id, p.created_at = $now
SET p._lock = true
REMOVE p._lock
WITH p
OPTIONAL MATCH (p)<-[:OWNS]-(owner)  // from p only: OWNS starts at an Identity
RETURN p.key AS key, owner.identity_id AS owner_id
