// Re-activates $other, closes the original event and writes the unmerge event.
// $tenant, $into, $other, $undoes, $event_id, $actor, $reason, $restored, $skipped, $now
MATCH (b:Identity {identity_id: $other, tenant_id: $tenant})-[m:MERGED_INTO]->(:Identity {identity_id: $into})
  USING INDEX SEEK b:Identity(identity_id)
MATCH (a:Identity {identity_id: $into, tenant_id: $tenant}) USING INDEX SEEK a:Identity(identity_id)
MATCH (orig:MergeEvent {event_id: $undoes, tenant_id: $tenant}) USING INDEX SEEK orig:MergeEvent(event_id)
DELETE m
SET b.status = 'active'
REMOVE b.merged_into, b.merged_at
SET orig.undone_by = $event_id
CREATE (e:MergeEvent {event_id: $event_id, tenant_id: $tenant, kind: 'unmerge', undoes: $undoes,
                      actor: $actor, reason: $reason, at: $now, restored: $restored,
                      skipped: $skipped, into: $into, other: $other})
CREATE (e)-[:MERGED {role: 'into'}]->(a)
CREATE (e)-[:MERGED {role: 'other'}]->(b)
