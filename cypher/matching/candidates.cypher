// Online candidates of one record: the records sharing a blocking key with it (one index seek
// per block slot; those sharing the most keys first), then up to $max_members records of each
// of their identities, so a conflict with any member is seen. Also which of those identities
// reviewers keep apart. The index hints keep the plan right whatever the statistics said
// when it was cached (a plan made while a tenant was small would scan the label).
// $tenant, $key, $blocks (16 slots, null where none), $max_candidates, $max_members
// Returns: identity_id, records, apart (identity ids it must not join)
CALL () {
  MATCH (c:Record {block_0: $blocks[0]}) USING INDEX c:Record(block_0) RETURN c
  UNION ALL
  MATCH (c:Record {block_1: $blocks[1]}) USING INDEX c:Record(block_1) RETURN c
  UNION ALL
  MATCH (c:Record {block_2: $blocks[2]}) USING INDEX c:Record(block_2) RETURN c
  UNION ALL
  MATCH (c:Record {block_3: $blocks[3]}) USING INDEX c:Record(block_3) RETURN c
  UNION ALL
  MATCH (c:Record {block_4: $blocks[4]}) USING INDEX c:Record(block_4) RETURN c
  UNION ALL
  MATCH (c:Record {block_5: $blocks[5]}) USING INDEX c:Record(block_5) RETURN c
  UNION ALL
  MATCH (c:Record {block_6: $blocks[6]}) USING INDEX c:Record(block_6) RETURN c
  UNION ALL
  MATCH (c:Record {block_7: $blocks[7]}) USING INDEX c:Record(block_7) RETURN c
  UNION ALL
  MATCH (c:Record {block_8: $blocks[8]}) USING INDEX c:Record(block_8) RETURN c
  UNION ALL
  MATCH (c:Record {block_9: $blocks[9]}) USING INDEX c:Record(block_9) RETURN c
  UNION ALL
  MATCH (c:Record {block_10: $blocks[10]}) USING INDEX c:Record(block_10) RETURN c
  UNION ALL
  MATCH (c:Record {block_11: $blocks[11]}) USING INDEX c:Record(block_11) RETURN c
  UNION ALL
  MATCH (c:Record {block_12: $blocks[12]}) USING INDEX c:Record(block_12) RETURN c
  UNION ALL
  MATCH (c:Record {block_13: $blocks[13]}) USING INDEX c:Record(block_13) RETURN c
  UNION ALL
  MATCH (c:Record {block_14: $blocks[14]}) USING INDEX c:Record(block_14) RETURN c
  UNION ALL
  MATCH (c:Record {block_15: $blocks[15]}) USING INDEX c:Record(block_15) RETURN c
}
WITH c WHERE c.key <> $key
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
