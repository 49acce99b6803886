// Neo4j Browser: the open review queue, oldest first - each merge candidate with the
// identities it names, their identifiers and records, and why it waits (reason code).
// :param tenant => 'demo'
MATCH (r:ReviewItem {tenant_id: $tenant, status: 'open'})
WITH r ORDER BY r.created_at, r.item_id LIMIT 25
MATCH pair = (r)-[:CANDIDATE]->(n:Identity)
OPTIONAL MATCH held = (n)<-[:LINK]-(:Identifier)
RETURN r.item_id AS item, r.reason AS reason, r.match_probability AS probability,
       r.created_at AS queued, collect(DISTINCT pair) AS candidates,
       collect(DISTINCT held)[..40] AS identifiers
ORDER BY queued
