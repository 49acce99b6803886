// The stored columns of a review pair's records, in the order asked (by key).
// The hint: planned on a large store, the tenant index looked cheaper than the key.
// $tenant, $keys. Returns: record
UNWIND $keys AS key
MATCH (x:Record {key: key, tenant_id: $tenant}) USING INDEX SEEK x:Record(key)
RETURN x {.*} AS record
