// A tenant's API keys, oldest first, without their hashes.
// $tenant. Returns: key {key_id, role, label, created_at, revoked_at}
MATCH (k:ApiKey {tenant_id: $tenant})
RETURN k {.key_id, .role, .label, .created_at, .revoked_at} AS key
ORDER BY k.created_at, k.key_id
