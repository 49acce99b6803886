// Neo4j Browser: the tenant's highest lifetime values (the targeting index, walked in order),
// each identity with its profile and journeys.
// :param tenant => 'demo'
MATCH (p:Profile)
WHERE p.tenant_id = $tenant AND p.ltv_rank >= '000000000000000'
WITH p ORDER BY p.tenant_id DESC, p.ltv_rank DESC LIMIT 15
MATCH view = (p)<-[:HAS_PROFILE]-(:Identity)-[:JOURNEY]->(:Journey)-[:IN_STORM]->(:Storm)
RETURN view
