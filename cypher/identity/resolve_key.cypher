// The identity an identifier links to (links always point at active identities).
// $key. Returns: identity_id
MATCH (:Identifier {key: $key})-[:LINK]->(n)
RETURN n.identity_id AS identity_id
