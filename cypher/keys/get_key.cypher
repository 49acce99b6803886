// An API key by id, to check a presented secret against its hash.
// $key_id. Returns: hash, tenant_id, role
MATCH (k:ApiKey {key_id: $key_id})
WHERE k.revoked_at IS NULL
RETURN k.hash AS hash, k.tenant_id AS tenant_id, k.role AS role
