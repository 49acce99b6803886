// Re-segmented profiles. $tenant, $now, $rows: [{identity_id, segment}]
UNWIND $rows AS row
MATCH (p:Profile {identity_id: row.identity_id, tenant_id: $tenant}) USING INDEX SEEK p:Profile(identity_id)
SET p.segment = row.segment, p.segmented_at = $now
