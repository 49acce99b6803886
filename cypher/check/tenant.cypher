// The tenant's graph checked against its own rules; each count should be zero.
// $tenant, $prefix (tenant + '|'). Returns one row of counts (see graph/check.py).
CALL () {
  MATCH (r:Record {tenant_id: $tenant})
  WITH r, COUNT { (r)-[:LINK]->() } AS links,
       COUNT { (r)-[:LINK]->(:Identity {status: 'active'}) } AS live
  RETURN sum(CASE WHEN links = 0 THEN 1 ELSE 0 END) AS records_without_link,
         sum(CASE WHEN links > 1 OR (links = 1 AND live = 0) THEN 1 ELSE 0 END)
           AS records_not_on_one_active_identity
}
CALL () {
  MATCH (i:Identifier) WHERE i.key STARTS WITH $prefix
  WITH i, COUNT { (i)-[:LINK]->() } AS links,
       COUNT { (i)-[:LINK]->(:Identity {status: 'active'}) } AS live
  RETURN sum(CASE WHEN links <> 1 OR live <> 1 THEN 1 ELSE 0 END)
           AS identifiers_not_on_one_active_identity
}
CALL () {
  MATCH (n:Identity {tenant_id: $tenant})
  RETURN sum(CASE WHEN n.status = 'active' AND NOT EXISTS { (n)<-[:LINK]-() } THEN 1 ELSE 0 END)
           AS orphan_identities,
         sum(CASE WHEN n.status = 'merged' AND (NOT EXISTS { (n)-[:MERGED_INTO]->() }
                   OR NOT EXISTS { (n)-[:MERGED_INTO*1..]->(:Identity {status: 'active'}) })
                  THEN 1 ELSE 0 END) AS merged_without_survivor,
         sum(CASE WHEN n.status = 'active' AND EXISTS { (n)-[:JOURNEY]->() }
                   AND NOT EXISTS { (n)-[:HAS_PROFILE]->() } THEN 1 ELSE 0 END)
           AS journeys_without_profile,
         sum(CASE WHEN n.status <> 'active' AND EXISTS { (n)-[:JOURNEY|HAS_PROFILE]->() }
                  THEN 1 ELSE 0 END) AS merged_with_journeys_or_profile
}
CALL () {
  MATCH (j:Journey {tenant_id: $tenant})
  RETURN sum(CASE WHEN NOT EXISTS { (:Identity {status: 'active'})-[:JOURNEY]->(j) }
                   OR NOT EXISTS { (j)-[:IN_STORM]->(:Storm) }
                   OR NOT EXISTS { (j)-[:HAS]->(:Touchpoint) } THEN 1 ELSE 0 END)
           AS dangling_journeys,
         sum(CASE WHEN j:Stale THEN 1 ELSE 0 END) AS stale_journeys
}
CALL () {
  MATCH (t:Touchpoint) WHERE t.key STARTS WITH $prefix
  RETURN sum(CASE WHEN COUNT { (t)<-[:HAS]-(:Journey) } <> 1 THEN 1 ELSE 0 END)
           AS dangling_touchpoints
}
CALL () {
  MATCH (p:Property) WHERE p.key STARTS WITH $prefix
  WITH p, COUNT { (p)<-[:OWNS]-(:Identity) } AS owners
  RETURN sum(CASE WHEN owners > 1 THEN 1 ELSE 0 END) AS properties_with_two_owners
}
CALL () {
  MATCH (r:ReviewItem {tenant_id: $tenant})
  WITH r, COLLECT {
         MATCH (r)-[:CANDIDATE]->(n:Identity)
         OPTIONAL MATCH (n)-[:MERGED_INTO*1..]->(live:Identity {status: 'active'})
         RETURN DISTINCT coalesce(live.identity_id, n.identity_id)
       } AS live_ids
  RETURN sum(CASE WHEN r.status = 'open' AND size(live_ids) < 2 THEN 1 ELSE 0 END)
           AS open_reviews_already_one_identity,
         sum(CASE WHEN r.status = 'approved' AND size(live_ids) > 1 THEN 1 ELSE 0 END)
           AS approved_reviews_not_merged
}
RETURN records_without_link, records_not_on_one_active_identity,
       identifiers_not_on_one_active_identity, orphan_identities, merged_without_survivor,
       journeys_without_profile, merged_with_journeys_or_profile, dangling_journeys,
       stale_journeys, dangling_touchpoints, properties_with_two_owners,
       open_reviews_already_one_identity, approved_reviews_not_merged
