// Stores a tenant's attribution config (validated JSON text), replacing the previous one.
// $tenant, $config, $now. Returns: updated_at
MERGE (c:AttributionConfig {tenant_id: $tenant})
SET c.config = $config, c.updated_at = $now
RETURN c.updated_at AS updated_at
