// Removes everything one tenant wrote, in batches (run each statement in auto-commit mode).
// $tenant, $prefix (tenant + '|', the start of its keys)
MATCH (n:Identity {tenant_id: $tenant}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:MergeEvent {tenant_id: $tenant}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:ReviewItem {tenant_id: $tenant}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:Experiment {tenant_id: $tenant}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:ApiKey {tenant_id: $tenant}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:AttributionResult {tenant_id: $tenant}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:AttributionRun {tenant_id: $tenant}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:AttributionConfig {tenant_id: $tenant}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:Touchpoint) WHERE n.key STARTS WITH $prefix CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:Journey) WHERE n.tenant_id = $tenant AND n.storm_id IS NOT NULL CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:Profile) WHERE n.tenant_id = $tenant AND n.ltv_rank IS NOT NULL CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:ProfileConfig {tenant_id: $tenant}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:Storm) WHERE n.key STARTS WITH $prefix CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:Identifier) WHERE n.key STARTS WITH $prefix CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:Property) WHERE n.key STARTS WITH $prefix CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:LinkLock) WHERE n.key STARTS WITH $prefix CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:Erasure {tenant_id: $tenant}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:Record) WHERE n.key STARTS WITH $prefix CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:LiveShare) WHERE n.key STARTS WITH $prefix CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n:LiveStorm) WHERE n.key STARTS WITH $prefix CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS;
