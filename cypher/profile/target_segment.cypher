// Targeting within one segment: as profile/target, on the (tenant_id, segment, ltv_rank) index.
// $tenant, $segment, $min_rank, $after_rank, $storm_id (null for any), $limit.
// Returns: profile (timestamps as ISO text)
MATCH (p:Profile)
USING INDEX SEEK p:Profile(tenant_id, segment, ltv_rank)
WHERE p.tenant_id = $tenant AND p.segment = $segment AND p.ltv_rank >= $min_rank
  AND p.ltv_rank < $after_rank
  AND ($storm_id IS NULL OR $storm_id IN p.storms)
WITH p ORDER BY p.tenant_id DESC, p.segment DESC, p.ltv_rank DESC LIMIT $limit
RETURN p {.identity_id, .total_storms, .total_conversions, .lifetime_value, .avg_sii_score,
          .avg_uplift, .primary_channel, .segment, .storms, .total_touches, .total_cost,
          .ltv_rank, last_updated: toString(p.last_updated),
          first_seen: toString(p.first_seen), last_event_at: toString(p.last_event_at)}
       AS profile
