// record_id -> identity_id for every record of a tenant, in record order.
// $tenant. Returns: record_id, identity_id
MATCH (r:Record {tenant_id: $tenant})
OPTIONAL MATCH (r)-[:LINK]->(i:Identity)
RETURN r.record_id AS record_id, i.identity_id AS identity_id
ORDER BY r.record_id
