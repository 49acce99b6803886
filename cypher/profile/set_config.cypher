// Stores a tenant's event channels and segment rules (JSON text).
// $tenant, $channels, $segment_rules, $now
MERGE (c:ProfileConfig {tenant_id: $tenant})
SET c.channels = $channels, c.segment_rules = $segment_rules, c.updated_at = $now
