// An unmerge: puts the events a merge moved back on $other's journeys, for those still on a
// journey of $from (the live survivor); events moved elsewhere since are left alone.
// $tenant, $from, $other, $keys. Returns: key, from_journey, to_journey
UNWIND $keys AS key
MATCH (t:Touchpoint {key: key})<-[h:HAS]-(jf:Journey) USING INDEX SEEK t:Touchpoint(key)
MATCH (jf)<-[:JOURNEY]-(:Identity {identity_id: $from, tenant_id: $tenant})
MATCH (jf)-[:IN_STORM]->(s:Storm)
MATCH (b:Identity {identity_id: $other, tenant_id: $tenant}) USING INDEX SEEK b:Identity(identity_id)
WITH b, jf, h, t, s ORDER BY jf.storm_id, t.key
MERGE (jb:Journey {journey_id: $other + '|' + jf.storm_id})
  ON CREATE SET jb.tenant_id = $tenant, jb.identity_id = $other, jb.storm_id = jf.storm_id
MERGE (b)-[:JOURNEY]->(jb)
MERGE (jb)-[:IN_STORM]->(s)
DELETE h
CREATE (jb)-[:HAS]->(t)
RETURN t.key AS key, jf.journey_id AS from_journey, jb.journey_id AS to_journey
