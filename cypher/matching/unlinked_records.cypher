// Keys of the tenant's stored records that no identity holds yet (a load cut short, or
// records just stored and about to be linked).
// $tenant. Returns: key
MATCH (r:Record {tenant_id: $tenant})
WHERE NOT EXISTS { (r)-[:LINK]->() }
RETURN r.key AS key
