// How many records the tenant holds (through the tenant index, no record read).
// $tenant. Returns: records
MATCH (r:Record {tenant_id: $tenant})
RETURN count(r) AS records
