// Neo4j Browser: an identity's neighbourhood - its identifiers, properties (and who else lives
// there), profile, journeys with their storms and touchpoints, and the merges that touched it.
// :param tenant => 'demo'
// :param identity_id => '...'   (e.g. from `stormops target -t demo`)
MATCH (n:Identity {identity_id: $identity_id, tenant_id: $tenant})
OPTIONAL MATCH ids = (n)<-[:LINK]-(:Identifier)
OPTIONAL MATCH home = (n)-[:OWNS|RESIDES_AT]->(:Property)<-[:OWNS|RESIDES_AT]-(:Identity)
OPTIONAL MATCH profile = (n)-[:HAS_PROFILE]->(:Profile)
OPTIONAL MATCH path = (n)-[:JOURNEY]->(j:Journey)-[:HAS]->(:Touchpoint)
OPTIONAL MATCH storm = (j)-[:IN_STORM]->(:Storm)
OPTIONAL MATCH audit = (n)<-[:MERGED]-(:MergeEvent)
RETURN n, collect(DISTINCT ids) AS identifiers, collect(DISTINCT home) AS households,
       collect(DISTINCT profile) AS profiles, collect(DISTINCT path) AS journeys,
       collect(DISTINCT storm) AS storms, collect(DISTINCT audit) AS merges
