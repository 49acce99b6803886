// The status of one review item. $tenant, $item_id. Returns: status
MATCH (r:ReviewItem {item_id: $item_id, tenant_id: $tenant})
RETURN r.status AS status
