// Moves every LINK of $other (from identifiers and records) to $into, keeping each link's
// properties, and reads both identities' property ties (as identity/read_ties does): a
// merge's reads and link moves in one round trip.
// $tenant, $into, $other. Returns: moved: [{key, props (the link as it was)}],
// ties: [{identity_id, key, rel, sources}]
MATCH (a:Identity {identity_id: $into, tenant_id: $tenant}) USING INDEX SEEK a:Identity(identity_id)
MATCH (b:Identity {identity_id: $other, tenant_id: $tenant}) USING INDEX SEEK b:Identity(identity_id)
CALL (a, b) {
  MATCH (b)<-[l:LINK]-(i:Identifier|Record)
  WITH a, i, l, properties(l) AS props
  DELETE l
  CREATE (i)-[moved:LINK]->(a)
  SET moved = props
  RETURN collect({key: i.key, props: props}) AS moved
}
RETURN moved, COLLECT {
  UNWIND [a, b] AS n
  MATCH (n)-[t:OWNS|RESIDES_AT]->(p:Property)
  RETURN {identity_id: n.identity_id, key: p.key, rel: type(t),
          sources: coalesce(t.sources, [n.identity_id])} AS tie
} AS ties
