// Deletes a person: their records, identifiers, journeys with their touchpoints and
// attribution results, profile, review items, property ties (and properties nobody else
// uses), merge events among their own identities (events shared with other identities keep
// who, when and why, with what moved and the evidence removed), and the identities.
// $tenant, $identity_ids, $now
// Returns: records, identifiers, journeys, touchpoints, results, profiles, review_items,
// merge_events, properties, identities (counts)
MATCH (n:Identity {tenant_id: $tenant}) WHERE n.identity_id IN $identity_ids
WITH collect(n) AS people
CALL (people) {
  UNWIND people AS n MATCH (r:Record)-[:LINK]->(n) DETACH DELETE r RETURN count(*) AS records
}
CALL (people) {
  UNWIND people AS n MATCH (i:Identifier)-[:LINK]->(n) DETACH DELETE i
  RETURN count(*) AS identifiers
}
CALL (people) {
  UNWIND people AS n MATCH (n)-[:JOURNEY]->(:Journey)-[:HAS]->(t:Touchpoint)
  DETACH DELETE t RETURN count(*) AS touchpoints
}
CALL (people) {
  UNWIND people AS n MATCH (n)-[:JOURNEY]->(:Journey)<-[:CREDITS]-(a:AttributionResult)
  DETACH DELETE a RETURN count(*) AS results
}
CALL (people) {
  UNWIND people AS n MATCH (n)-[:JOURNEY]->(j:Journey) DETACH DELETE j
  RETURN count(*) AS journeys
}
CALL (people) {
  UNWIND people AS n MATCH (n)-[:HAS_PROFILE]->(p:Profile) DETACH DELETE p
  RETURN count(*) AS profiles
}
CALL (people) {
  UNWIND people AS n MATCH (item:ReviewItem)-[:CANDIDATE]->(n)
  WITH DISTINCT item DETACH DELETE item RETURN count(*) AS review_items
}
CALL (people) {
  UNWIND people AS n MATCH (e:MergeEvent)-[:MERGED]->(n)
  WITH DISTINCT e, people
  WITH e, all(x IN COLLECT { MATCH (e)-[:MERGED]->(m:Identity) RETURN m } WHERE x IN people)
       AS own
  CALL (e, own) { WITH e WHERE own DETACH DELETE e }
  CALL (e, own) {
    WITH e WHERE NOT own
    SET e.moved = '[]', e.moved_ties = '[]', e.moved_events = null, e.evidence = null,
        e.skipped = '[]', e.erased_at = $now
  }
  RETURN count(*) AS merge_events
}
CALL (people) {
  UNWIND people AS n MATCH (n)-[:OWNS|RESIDES_AT]->(p:Property)
  WITH DISTINCT p, people
  WHERE NOT EXISTS { MATCH (p)--(x) WHERE NOT x IN people }
  DETACH DELETE p RETURN count(*) AS properties
}
CALL (people) {
  UNWIND people AS n DETACH DELETE n RETURN count(*) AS identities
}
RETURN records, identifiers, journeys, touchpoints, results, profiles, review_items,
       merge_events, properties, identities
