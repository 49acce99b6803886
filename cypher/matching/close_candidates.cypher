// Close-pair candidates of a batch of records: per record, the records sharing a blocking
// key with it (one index seek per slot; those sharing the most keys first), each with the live
// identity it is linked to and its values of $columns. The index hints keep the plan right
// whatever the statistics said when it was cached.
// $tenant, $rows: [{key, blocks (16 slots, null where none)}], $columns, $max_candidates
// Returns: key, candidates: [{identity_id, values (in $columns order)}]
UNWIND $rows AS row
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
WITH row, c WHERE c.key <> row.key
WITH row, c, count(*) AS shared
ORDER BY shared DESC, c.ingested_at DESC
WITH row, collect(c)[..$max_candidates] AS found
UNWIND found AS c
MATCH (c)-[:LINK]->(i:Identity {tenant_id: $tenant, status: 'active'})
RETURN row.key AS key,
       collect({identity_id: i.identity_id, values: [column IN $columns | c[column]]})
         AS candidates
