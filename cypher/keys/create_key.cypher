// A new API key; only its hash is stored.
// $key_id, $hash, $tenant, $role, $label (or null), $now
CREATE (:ApiKey {key_id: $key_id, hash: $hash, tenant_id: $tenant, role: $role, label: $label,
                 created_at: $now})
