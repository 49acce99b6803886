// Online candidates of one record: the records sharing a blocking key with it (those sharing
// the most keys first), then up to $max_members records of each of their identities, so a
// conflict with any member is seen. Also which of those identities reviewers keep apart.
// $tenant, $key, $blocks, $max_candidates, $max_members
// Returns: identity_id, records, apart (identity ids it must not join)
UNWIND $blocks AS block
MATCH (:BlockKey {key: block})<-[:BLOCKED_BY]-(c:Record)
WHERE c.key <> $key
WITH c, count(*) AS shared
ORDER BY shared DESC, c.ingested_at DESC
LIMIT $max_candidates
MATCH (c)-[:LINK]->(i:Identity {tenant_id: $tenant, status: 'active'})
WITH i, collect(c) AS found
RETURN i.identity_id AS identity_id,
       found + COLLECT {
         MATCH (m:Record)-[:LINK]->(i)
         WHERE NOT m IN found AND m.key <> $key
         RETURN m LIMIT $max_members
       } AS records,
       COLLECT { MATCH (i)-[:CANNOT_LINK]-(x:Identity) RETURN x.identity_id } AS apart
