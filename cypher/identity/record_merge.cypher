// Marks $other merged into $into and writes the audit event with exactly what moved.
// $tenant, $into, $other, $event_id, $kind, $actor, $reason, $evidence, $moved, $moved_ties, $now
MATCH (a:Identity {identity_id: $into, tenant_id: $tenant}) USING INDEX SEEK a:Identity(identity_id)
MATCH (b:Identity {identity_id: $other, tenant_id: $tenant}) USING INDEX SEEK b:Identity(identity_id)
SET b.status = 'merged', b.merged_into = $into, b.merged_at = $now
CREATE (b)-[:MERGED_INTO]->(a)
CREATE (e:MergeEvent {event_id: $event_id, tenant_id: $tenant, kind: $kind, actor: $actor,
                      reason: $reason, at: $now, evidence: $evidence, moved: $moved,
                      moved_ties: $moved_ties, into: $into, other: $other})
CREATE (e)-[:MERGED {role: 'into'}]->(a)
CREATE (e)-[:MERGED {role: 'other'}]->(b)
