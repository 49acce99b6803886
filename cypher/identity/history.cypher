// The merge/unmerge events that touched an identity, newest first.
// $tenant, $identity_id. Returns: event
MATCH (:Identity {identity_id: $identity_id, tenant_id: $tenant})<-[m:MERGED]-(e:MergeEvent)
RETURN e {.*, role: m.role} AS event
ORDER BY e.at DESC, e.event_id
