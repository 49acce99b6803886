// The behavioral profile of an identity, following a merged id to the live identity.
// $tenant, $identity_id.
// Returns: identity_id, status, profile (null when it has no events; timestamps as ISO text)
MATCH (n:Identity {identity_id: $identity_id, tenant_id: $tenant}) USING INDEX SEEK n:Identity(identity_id)
OPTIONAL MATCH (n)-[:MERGED_INTO*1..]->(live:Identity {status: 'active'})
WITH coalesce(live, n) AS m
OPTIONAL MATCH (m)-[:HAS_PROFILE]->(p:Profile)
RETURN m.identity_id AS identity_id, m.status AS status,
       p {.identity_id, .total_storms, .total_conversions, .lifetime_value, .avg_sii_score,
          .avg_uplift, .primary_channel, .segment, .storms, .total_touches, .total_cost,
          last_updated: toString(p.last_updated), first_seen: toString(p.first_seen),
          last_event_at: toString(p.last_event_at)} AS profile
