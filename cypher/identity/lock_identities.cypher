// Lock identities in the given order and read their state.
// $tenant, $identity_ids. Returns: identity_id, status
UNWIND $identity_ids AS identity_id
MATCH (n:Identity {identity_id: identity_id, tenant_id: $tenant}) USING INDEX SEEK n:Identity(identity_id)
SET n._lock = true
REMOVE n._lock
RETURN n.identity_id AS identity_id, n.status AS status
