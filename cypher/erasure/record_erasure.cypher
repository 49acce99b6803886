// The audit of an erasure: who, when, why and how much was removed; nothing about the person.
// Its count per tenant is the generation new identity ids are derived in (graph/_ids.py).
// $tenant, $event_id, $actor, $reason, $now, $counts (map of counts)
CREATE (e:Erasure {event_id: $event_id, tenant_id: $tenant, actor: $actor, reason: $reason,
                   at: $now})
SET e += $counts
