// A merge: moves every event on $other's journeys onto $into's journey of the same storm
// (created when $into had none). $other's journeys are left empty for recompute_journeys.
// $tenant, $into, $other. Returns: key, from_journey, to_journey
MATCH (b:Identity {identity_id: $other, tenant_id: $tenant})-[:JOURNEY]->(jb:Journey)
  USING INDEX SEEK b:Identity(identity_id)
MATCH (jb)-[h:HAS]->(t:Touchpoint)
MATCH (jb)-[:IN_STORM]->(s:Storm)
MATCH (a:Identity {identity_id: $into, tenant_id: $tenant}) USING INDEX SEEK a:Identity(identity_id)
WITH a, jb, h, t, s ORDER BY jb.storm_id, t.key
MERGE (ja:Journey {journey_id: $into + '|' + jb.storm_id})
  ON CREATE SET ja.tenant_id = $tenant, ja.identity_id = $into, ja.storm_id = jb.storm_id
MERGE (a)-[:JOURNEY]->(ja)
MERGE (ja)-[:IN_STORM]->(s)
DELETE h
CREATE (ja)-[:HAS]->(t)
RETURN t.key AS key, jb.journey_id AS from_journey, ja.journey_id AS to_journey
