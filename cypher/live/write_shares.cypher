// Writes journeys' parts in the live state (share: JSON; fingerprint: [touches, conversions,
// revenue, last event epoch ms] of the journey it was computed from), and deletes the parts of
// journeys that are gone (share null).
// $tenant, $now, $shares: [{key, journey_id, storm_id, share, fingerprint}]
UNWIND $shares AS row
CALL (row) {
  WITH row WHERE row.share IS NULL
  MATCH (s:LiveShare {key: row.key})
  DELETE s
}
CALL (row) {
  WITH row WHERE row.share IS NOT NULL
  MERGE (s:LiveShare {key: row.key})
    ON CREATE SET s.tenant_id = $tenant, s.journey_id = row.journey_id, s.storm_id = row.storm_id
  SET s.share = row.share, s.fingerprint = row.fingerprint, s.updated_at = $now
}
