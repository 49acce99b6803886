// Revokes one of a tenant's keys (keeping the first revocation time), without its hash.
// $tenant, $key_id, $now. Returns: key {key_id, role, label, created_at, revoked_at}
MATCH (k:ApiKey {key_id: $key_id, tenant_id: $tenant})
SET k.revoked_at = coalesce(k.revoked_at, $now)
RETURN k {.key_id, .role, .label, .created_at, .revoked_at} AS key
