// New identities of a batch.
// $tenant, $now, $identities: [{identity_id, first_name, last_name}]
UNWIND $identities AS row
CREATE (:Identity {identity_id: row.identity_id, tenant_id: $tenant, status: 'active',
                   created_at: $now, first_name: row.first_name, last_name: row.last_name})
