// Online candidates of records linked together: for each, the records sharing a blocking key
// with it (one index seek per block slot; those sharing the most keys first), then up to
// $max_members records of each of their identities, so a conflict with any member is seen.
// Also which of those identities reviewers keep apart. No record of the batch is another's
// candidate here (the caller scores them against each other as it decides them in order).
// The index hints keep the plan right whatever the statistics said when it was cached (a plan
// made while a tenant was small would scan the label); with them the plan never changes, so a
// cached one is kept however the statistics move (replanning this query takes a second or
// more on a busy server, a stall for every link waiting on its locks).
// $tenant, $rows: [{key, blocks (16 slots, null where none)}], $keys (every key of the
// batch), $max_candidates, $max_members
// Returns: key (the row's), identity_id, records, apart (identity ids it must not join)
CYPHER replan=skip
UNWIND $rows AS row
CALL (row) {
  CALL (row) {
    MATCH (c:Record {block_0: row.blocks[0]}) USING INDEX SEEK c:Record(block_0) RETURN c
    UNION ALL
    MATCH (c:Record {block_1: row.blocks[1]}) USING INDEX SEEK c:Record(block_1) RETURN c
    UNION ALL
    MATCH (c:Record {block_2: row.blocks[2]}) USING INDEX SEEK c:Record(block_2) RETURN c
    UNION ALL
    MATCH (c:Record {block_3: row.blocks[3]}) USING INDEX SEEK c:Record(block_3) RETURN c
    UNION ALL
    MATCH (c:Record {block_4: row.blocks[4]}) USING INDEX SEEK c:Record(block_4) RETURN c
    UNION ALL
    MATCH (c:Record {block_5: row.blocks[5]}) USING INDEX SEEK c:Record(block_5) RETURN c
    UNION ALL
    MATCH (c:Record {block_6: row.blocks[6]}) USING INDEX SEEK c:Record(block_6) RETURN c
    UNION ALL
    MATCH (c:Record {block_7: row.blocks[7]}) USING INDEX SEEK c:Record(block_7) RETURN c
    UNION ALL
    MATCH (c:Record {block_8: row.blocks[8]}) USING INDEX SEEK c:Record(block_8) RETURN c
    UNION ALL
    MATCH (c:Record {block_9: row.blocks[9]}) USING INDEX SEEK c:Record(block_9) RETURN c
    UNION ALL
    MATCH (c:Record {block_10: row.blocks[10]}) USING INDEX SEEK c:Record(block_10) RETURN c
    UNION ALL
    MATCH (c:Record {block_11: row.blocks[11]}) USING INDEX SEEK c:Record(block_11) RETURN c
    UNION ALL
    MATCH (c:Record {block_12: row.blocks[12]}) USING INDEX SEEK c:Record(block_12) RETURN c
    UNION ALL
    MATCH (c:Record {block_13: row.blocks[13]}) USING INDEX SEEK c:Record(block_13) RETURN c
    UNION ALL
    MATCH (c:Record {block_14: row.blocks[14]}) USING INDEX SEEK c:Record(block_14) RETURN c
    UNION ALL
    MATCH (c:Record {block_15: row.blocks[15]}) USING INDEX SEEK c:Record(block_15) RETURN c
  }
  WITH c WHERE NOT c.key IN $keys
  WITH c, count(*) AS shared
  ORDER BY shared DESC, c.ingested_at DESC
  LIMIT $max_candidates
  MATCH (c)-[:LINK]->(i:Identity {tenant_id: $tenant, status: 'active'})
  RETURN i, collect(c) AS found
}
RETURN row.key AS key, i.identity_id AS identity_id,
       found + COLLECT {
         MATCH (m:Record)-[:LINK]->(i)
         WHERE NOT m IN found AND NOT m.key IN $keys
         RETURN m LIMIT $max_members
       } AS records,
       COLLECT { MATCH (i)-[:CANNOT_LINK]-(x:Identity) RETURN x.identity_id } AS apart
