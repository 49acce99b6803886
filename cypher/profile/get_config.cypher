// A tenant's event channels and segment rules (JSON), or nulls when it keeps the defaults.
// $tenant. Returns: channels, segment_rules
OPTIONAL MATCH (c:ProfileConfig {tenant_id: $tenant})
RETURN c.channels AS channels, c.segment_rules AS segment_rules
