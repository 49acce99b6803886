// Neo4j Browser: one storm's converted journeys - the storm, each journey with its touchpoints,
// the identity and its profile - the most valuable first.
// :param tenant => 'demo'
// :param storm_id => 'S2024-HAIL-DFW'
MATCH (s:Storm {key: $tenant + '|' + $storm_id})<-[:IN_STORM]-(j:Journey)
WHERE j.converted
WITH s, j ORDER BY j.revenue DESC LIMIT 25
MATCH touches = (j)-[:HAS]->(:Touchpoint)
MATCH who = (j)<-[:JOURNEY]-(:Identity)-[:HAS_PROFILE]->(:Profile)
RETURN s, j, collect(touches) AS touchpoints, collect(DISTINCT who) AS identities
