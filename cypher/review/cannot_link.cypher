// Remember that reviewers said these identities are different people.
// $tenant, $pairs: [[a, b]], $item_id, $actor, $now
UNWIND $pairs AS pair
MATCH (a:Identity {identity_id: pair[0], tenant_id: $tenant}) USING INDEX SEEK a:Identity(identity_id)
MATCH (b:Identity {identity_id: pair[1], tenant_id: $tenant}) USING INDEX SEEK b:Identity(identity_id)
MERGE (a)-[c:CANNOT_LINK]->(b)
  ON CREATE SET c.item_id = $item_id, c.decided_by = $actor, c.at = $now
