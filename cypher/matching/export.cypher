// Every record of a tenant with its identity, its values of $columns and its extra columns,
// in record order.
// $tenant, $columns (record property names). Returns: record_id, identity_id, values, extra
MATCH (r:Record {tenant_id: $tenant})
OPTIONAL MATCH (r)-[:LINK]->(i)
RETURN r.record_id AS record_id, i.identity_id AS identity_id,
       [column IN $columns | r[column]] AS values, r.extra AS extra
ORDER BY r.record_id
