// Targeting: profiles with lifetime value >= $min_ltv, highest first, one page after a cursor.
// Walks the (tenant_id, ltv_rank) index in descending order and stops at the page's end;
// ltv_rank (cents zero-padded, '|', identity id) orders ties by identity id, so a cursor is
// just the last rank seen. The optional storm filter is checked on each profile as it walks.
// $tenant, $min_rank (the rank prefix of $min_ltv), $after_rank ('~' for the first page),
// $storm_id (null for any), $limit. Returns: profile (timestamps as ISO text)
MATCH (p:Profile)
USING INDEX SEEK p:Profile(tenant_id, ltv_rank)
WHERE p.tenant_id = $tenant AND p.ltv_rank >= $min_rank AND p.ltv_rank < $after_rank
  AND ($storm_id IS NULL OR $storm_id IN p.storms)
WITH p ORDER BY p.tenant_id DESC, p.ltv_rank DESC LIMIT $limit
RETURN p {.identity_id, .total_storms, .total_conversions, .lifetime_value, .avg_sii_score,
          .avg_uplift, .primary_channel, .segment, .storms, .total_touches, .total_cost,
          .ltv_rank, last_updated: toString(p.last_updated),
          first_seen: toString(p.first_seen), last_event_at: toString(p.last_event_at)}
       AS profile
