// A tenant's journeys whose events changed since they and their identity's profile were last
// computed (labelled Stale by journey/open_journeys; journey/recompute_journeys clears it).
// $tenant. Returns: journey_id, identity_id
MATCH (j:Journey:Stale)
WHERE j.tenant_id = $tenant
RETURN j.journey_id AS journey_id, j.identity_id AS identity_id
