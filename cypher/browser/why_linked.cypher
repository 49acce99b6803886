// Neo4j Browser: why an identity holds its records - each record's link with the pair that put
// it there (matched record, match probability, the model version), and the review items that
// name the identity (pairs the model held back, with their evidence).
// :param tenant => 'demo'
// :param identity_id => '...'   (e.g. from `stormops export` or `stormops resolve`)
MATCH (n:Identity {identity_id: $identity_id, tenant_id: $tenant})
OPTIONAL MATCH linked = (n)<-[l:LINK]-(r:Record)
OPTIONAL MATCH review = (n)<-[:CANDIDATE]-(:ReviewItem {status: 'open'})-[:CANDIDATE]->(:Identity)
RETURN n, collect(DISTINCT linked) AS records,
       [x IN collect(DISTINCT {record: r.record_id, method: l.method,
                               probability: l.match_probability,
                               matched: l.evidence, model: l.model_version})
        WHERE x.record IS NOT NULL] AS why,
       collect(DISTINCT review) AS held_back
