// The tenant's merges and unmerges, newest first, filtered by actor, kind and time: a walk
// of the merge_event_page index backwards, stopped at the page's end (ordered by all its
// properties so the planner takes the index's order rather than sorting the log).
// $tenant, $actor, $kind, $since, $until (each or null), $offset, $limit. Returns: event
MATCH (e:MergeEvent {tenant_id: $tenant})
WHERE e.at IS NOT NULL AND e.event_id IS NOT NULL
  AND ($actor IS NULL OR e.actor = $actor)
  AND ($kind IS NULL OR e.kind = $kind)
  AND ($since IS NULL OR e.at >= $since)
  AND ($until IS NULL OR e.at < $until)
WITH e ORDER BY e.tenant_id DESC, e.at DESC, e.event_id DESC SKIP $offset LIMIT $limit
RETURN e {.*} AS event
