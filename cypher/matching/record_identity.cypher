// The identity a record is linked to, if any.
// $key (tenant|record|record_id). Returns: identity_id
MATCH (r:Record {key: $key})-[:LINK]->(i:Identity)
RETURN i.identity_id AS identity_id
