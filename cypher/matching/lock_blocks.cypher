// Serializes online links that could be each other's candidates: each blocking key hashes to
// one of a fixed set of lock nodes per tenant (no values stored), taken in the given (sorted)
// order before the record's candidates are read.
// $tenant, $keys (tenant|lock|n, sorted)
UNWIND $keys AS key
MERGE (l:LinkLock {key: key})
  ON CREATE SET l.tenant_id = $tenant
SET l._lock = true
REMOVE l._lock
