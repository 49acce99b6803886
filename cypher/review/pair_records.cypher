// The stored columns of a review pair's records, in the order asked (by key).
// $tenant, $keys. Returns: record
UNWIND $keys AS key
MATCH (x:Record {key: key, tenant_id: $tenant})
RETURN x {.*} AS record
