// How many erasures a tenant has had (the generation its new identity ids are derived in).
// $tenant. Returns: epoch
RETURN COUNT { MATCH (e:Erasure {tenant_id: $tenant}) } AS epoch
