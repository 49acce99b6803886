// One merge event of the tenant. $tenant, $event_id. Returns: event
MATCH (e:MergeEvent {event_id: $event_id, tenant_id: $tenant}) USING INDEX SEEK e:MergeEvent(event_id)
RETURN e {.*} AS event
