// Review items by id, in the order asked (ids of other tenants are not found), with their
// candidates and the undoing events of an approval's merges.
// $tenant, $item_ids. Returns: item
UNWIND range(0, size($item_ids) - 1) AS n
MATCH (r:ReviewItem {item_id: $item_ids[n]})
WHERE r.tenant_id = $tenant
RETURN r {.item_id, .kind, .status, .created_at, .evidence, .reason, .match_probability,
          .decided_by, .decided_at, .decision_reason, .event_ids,
          identity_ids: COLLECT { MATCH (r)-[:CANDIDATE]->(c:Identity)
                                  RETURN c.identity_id ORDER BY c.identity_id },
          undone_by: COLLECT { UNWIND coalesce(r.event_ids, []) AS event_id
                               MATCH (e:MergeEvent {event_id: event_id}) USING INDEX SEEK e:MergeEvent(event_id)
                               WHERE e.tenant_id = $tenant AND e.undone_by IS NOT NULL
                               RETURN e.undone_by }} AS item
ORDER BY n
