// The identity that owns a property.
// $key (property key). Returns: identity_id
MATCH (n:Identity)-[:OWNS]->(:Property {key: $key})
RETURN n.identity_id AS identity_id
