// Every record of a tenant with the live identity it is linked to (null when not yet linked).
// $tenant. Returns: record, identity_id
MATCH (r:Record {tenant_id: $tenant})
OPTIONAL MATCH (r)-[:LINK]->(i)
RETURN r {.*} AS record, i.identity_id AS identity_id
ORDER BY r.key
