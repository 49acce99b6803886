// Locks the live state of storms (created on first use), in the order given (sorted by key,
// so concurrent writers lock in one order), and returns it as it stands under the lock.
// $tenant, $storms: [{key (tenant|storm_id), storm_id}]. Returns: storm_id, state (JSON or null)
UNWIND $storms AS row
MERGE (l:LiveStorm {key: row.key})
  ON CREATE SET l.tenant_id = $tenant, l.storm_id = row.storm_id, l.version = 0
SET l._lock = true
REMOVE l._lock
RETURN row.storm_id AS storm_id, l.state AS state
