// A tenant's attribution config (JSON text), or null when it keeps the defaults.
// $tenant. Returns: config, updated_at
OPTIONAL MATCH (c:AttributionConfig {tenant_id: $tenant})
RETURN c.config AS config, c.updated_at AS updated_at
