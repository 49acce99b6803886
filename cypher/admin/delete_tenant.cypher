// Removes everything one tenant wrote, in batches (run each statement in auto-commit mode).
// $tenant, $prefix (tenant + '|', the start of its keys)
MATCH (n:Identity {tenant_id: $tenant}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:MergeEvent {tenant_id: $tenant}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:ReviewItem {tenant_id: $tenant}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:Experiment {tenant_id: $tenant}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:ApiKey {tenant_id: $tenant}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:Identifier) WHERE n.key STARTS WITH $prefix CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:Property) WHERE n.key STARTS WITH $prefix CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
