// Which of the given records are stored already, and the identity each is linked to (null
// when stored but not linked yet).
// $keys (record keys). Returns: record_id, identity_id
UNWIND $keys AS key
MATCH (r:Record {key: key}) USING INDEX SEEK r:Record(key)
OPTIONAL MATCH (r)-[:LINK]->(i)
RETURN r.record_id AS record_id, i.identity_id AS identity_id
