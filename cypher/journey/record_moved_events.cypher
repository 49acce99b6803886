// Notes on a merge event which events it moved (JSON list of event keys), for its unmerge.
// $tenant, $event_id, $moved_events
MATCH (e:MergeEvent {event_id: $event_id, tenant_id: $tenant}) USING INDEX SEEK e:MergeEvent(event_id)
SET e.moved_events = $moved_events
