// Merge a batch's identifier nodes and take their write locks (callers sort the keys, so two
// batches never lock in opposite orders), then read who owns those that are owned.
// $tenant, $identifiers: [{key, type, value}]
// Returns: key, identity_id, first_name (of the owner)
UNWIND $identifiers AS row
MERGE (i:Identifier {key: row.key})
  ON CREATE SET i.tenant_id = $tenant, i.type = row.type, i.value = row.value
  ON MATCH SET i._lock = true
REMOVE i._lock
WITH i
MATCH (i)-[:LINK]->(owner)
RETURN i.key AS key, owner.identity_id AS identity_id, owner.first_name AS first_name
