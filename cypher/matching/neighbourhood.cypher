// The records an incremental ingest compares: the given records, every record sharing a
// blocking key with one of them (one index seek per block slot, so the pairs batch prediction
// would block are all found without reading the tenant), and every record of the identities
// those records belong to (an identity is clustered whole). Each with the identity it is
// linked to (null when not linked yet).
// $tenant, $keys (record keys). Returns: record, identity_id
UNWIND $keys AS key
MATCH (n:Record {key: key}) USING INDEX SEEK n:Record(key)
CALL (n) {
  RETURN n AS c
  UNION
  MATCH (c:Record {block_0: n.block_0}) USING INDEX SEEK c:Record(block_0) RETURN c
  UNION
  MATCH (c:Record {block_1: n.block_1}) USING INDEX SEEK c:Record(block_1) RETURN c
  UNION
  MATCH (c:Record {block_2: n.block_2}) USING INDEX SEEK c:Record(block_2) RETURN c
  UNION
  MATCH (c:Record {block_3: n.block_3}) USING INDEX SEEK c:Record(block_3) RETURN c
  UNION
  MATCH (c:Record {block_4: n.block_4}) USING INDEX SEEK c:Record(block_4) RETURN c
  UNION
  MATCH (c:Record {block_5: n.block_5}) USING INDEX SEEK c:Record(block_5) RETURN c
  UNION
  MATCH (c:Record {block_6: n.block_6}) USING INDEX SEEK c:Record(block_6) RETURN c
  UNION
  MATCH (c:Record {block_7: n.block_7}) USING INDEX SEEK c:Record(block_7) RETURN c
  UNION
  MATCH (c:Record {block_8: n.block_8}) USING INDEX SEEK c:Record(block_8) RETURN c
  UNION
  MATCH (c:Record {block_9: n.block_9}) USING INDEX SEEK c:Record(block_9) RETURN c
  UNION
  MATCH (c:Record {block_10: n.block_10}) USING INDEX SEEK c:Record(block_10) RETURN c
  UNION
  MATCH (c:Record {block_11: n.block_11}) USING INDEX SEEK c:Record(block_11) RETURN c
  UNION
  MATCH (c:Record {block_12: n.block_12}) USING INDEX SEEK c:Record(block_12) RETURN c
  UNION
  MATCH (c:Record {block_13: n.block_13}) USING INDEX SEEK c:Record(block_13) RETURN c
  UNION
  MATCH (c:Record {block_14: n.block_14}) USING INDEX SEEK c:Record(block_14) RETURN c
  UNION
  MATCH (c:Record {block_15: n.block_15}) USING INDEX SEEK c:Record(block_15) RETURN c
}
WITH DISTINCT c WHERE c.tenant_id = $tenant
OPTIONAL MATCH (c)-[:LINK]->(i)
WITH collect(DISTINCT i) AS identities, collect(CASE WHEN i IS NULL THEN c END) AS unlinked
CALL (identities, unlinked) {
  UNWIND identities AS i
  MATCH (m:Record)-[:LINK]->(i)
  RETURN m AS r, i.identity_id AS identity_id
  UNION
  UNWIND unlinked AS c
  RETURN c AS r, null AS identity_id
}
RETURN r {.*} AS record, identity_id
