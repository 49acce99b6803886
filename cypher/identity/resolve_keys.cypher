// The identity of the first key, in the given order, that is linked.
// $keys. Returns: identity_id
UNWIND range(0, size($keys) - 1) AS pos
MATCH (:Identifier {key: $keys[pos]})-[:LINK]->(n)
RETURN n.identity_id AS identity_id
ORDER BY pos
LIMIT 1
