// A new API key; only its hash is stored.
// $key_id, $hash, $tenant, $role, $now
CREATE (:ApiKey {key_id: $key_id, hash: $hash, tenant_id: $tenant, role: $role, created_at: $now})
