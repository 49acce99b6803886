// Opens the journeys a batch of events goes to: each identity's journey for a storm, created
// on first use and tied to the identity and the storm (created too when new), and labelled
// Stale until journey/recompute_journeys recomputes it from its events (in the same
// transaction, or after a bulk load). Rows come sorted by journey id so concurrent writers
// lock in one order; the ids are distinct.
// $tenant, $journeys: [{journey_id, identity_id, storm_id, storm_key}]
UNWIND $journeys AS row
MERGE (s:Storm {key: row.storm_key})
  ON CREATE SET s.tenant_id = $tenant, s.storm_id = row.storm_id
WITH row, s
MATCH (n:Identity {identity_id: row.identity_id, tenant_id: $tenant}) USING INDEX SEEK n:Identity(identity_id)
MERGE (j:Journey {journey_id: row.journey_id})
  ON CREATE SET j.tenant_id = $tenant, j.identity_id = row.identity_id,
                j.storm_id = row.storm_id
SET j:Stale
WITH n, j, s
CALL (n, j, s) {
  // Journey ids are distinct here, so a check-then-create is safe; CREATE, unlike a MERGE,
  // does not lock the (dense) storm node, which every concurrent batch shares.
  WITH n WHERE NOT EXISTS { (n)-[:JOURNEY]->(j) }
  CREATE (n)-[:JOURNEY]->(j)
  CREATE (j)-[:IN_STORM]->(s)
}
