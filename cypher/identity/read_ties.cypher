// The property ties of identities, with the identities whose own records made each (a tie
// written before sources were kept counts as its identity's own).
// $tenant, $identity_ids. Returns: identity_id, key, rel, sources
UNWIND $identity_ids AS identity_id
MATCH (n:Identity {identity_id: identity_id, tenant_id: $tenant})-[t:OWNS|RESIDES_AT]->(p:Property)
  USING INDEX SEEK n:Identity(identity_id)
RETURN identity_id, p.key AS key, type(t) AS rel, coalesce(t.sources, [identity_id]) AS sources
