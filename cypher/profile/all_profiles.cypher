// Every profile of a tenant with what its segment is decided from (for re-segmenting).
// $tenant. Returns: profile (last_event_at as ISO text)
MATCH (p:Profile)
WHERE p.tenant_id = $tenant AND p.ltv_rank IS NOT NULL
RETURN p {.identity_id, .segment, .total_storms, .total_conversions, .lifetime_value,
          last_event_at: toString(p.last_event_at)} AS profile
