// Moves every LINK of $other (from identifiers and records) to $into, keeping each link's
// properties.
// $tenant, $into, $other. Returns: key, props (the link as it was)
MATCH (b:Identity {identity_id: $other, tenant_id: $tenant})<-[l:LINK]-(i:Identifier|Record)
MATCH (a:Identity {identity_id: $into, tenant_id: $tenant})
WITH a, i, l, properties(l) AS props
DELETE l
CREATE (i)-[moved:LINK]->(a)
SET moved = props
RETURN i.key AS key, props
