// The tenant's merges and unmerges, newest first, filtered by actor, kind and time.
// $tenant, $actor, $kind, $since, $until (each or null), $offset, $limit. Returns: event
MATCH (e:MergeEvent {tenant_id: $tenant})
WHERE ($actor IS NULL OR e.actor = $actor)
  AND ($kind IS NULL OR e.kind = $kind)
  AND ($since IS NULL OR e.at >= $since)
  AND ($until IS NULL OR e.at < $until)
WITH e ORDER BY e.at DESC, e.event_id SKIP $offset LIMIT $limit
RETURN e {.*} AS event
