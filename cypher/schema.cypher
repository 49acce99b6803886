// Constraints and indexes, re-applied safely (IF NOT EXISTS) by `stormops db init` and the API.
// Keys carry the tenant (tenant|type|value) so one uniqueness constraint scopes by tenant.
// No index on tenant_id alone for nodes found by a unique id: while a tenant is small the
// planner would prefer it, and then scan the whole tenant on every lookup.
CREATE CONSTRAINT identity_id IF NOT EXISTS FOR (n:Identity) REQUIRE n.identity_id IS UNIQUE;
CREATE CONSTRAINT identifier_key IF NOT EXISTS FOR (n:Identifier) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT property_key IF NOT EXISTS FOR (n:Property) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT merge_event_id IF NOT EXISTS FOR (n:MergeEvent) REQUIRE n.event_id IS UNIQUE;
CREATE CONSTRAINT review_item_id IF NOT EXISTS FOR (n:ReviewItem) REQUIRE n.item_id IS UNIQUE;
CREATE CONSTRAINT review_item_key IF NOT EXISTS FOR (n:ReviewItem) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.key_id IS UNIQUE;
CREATE CONSTRAINT experiment_id IF NOT EXISTS FOR (n:Experiment) REQUIRE n.experiment_id IS UNIQUE;
CREATE CONSTRAINT storm_key IF NOT EXISTS FOR (n:Storm) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT journey_id IF NOT EXISTS FOR (n:Journey) REQUIRE n.journey_id IS UNIQUE;
CREATE CONSTRAINT touchpoint_key IF NOT EXISTS FOR (n:Touchpoint) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT profile_identity_id IF NOT EXISTS FOR (n:Profile) REQUIRE n.identity_id IS UNIQUE;
CREATE CONSTRAINT profile_config_tenant IF NOT EXISTS FOR (n:ProfileConfig) REQUIRE n.tenant_id IS UNIQUE;
// Matching: records found by key (tenant|record|record_id) or read per tenant; one index per
// blocking-key slot (values tenant|block|columns=values) finds an online record's candidates.
CREATE CONSTRAINT record_key IF NOT EXISTS FOR (n:Record) REQUIRE n.key IS UNIQUE;
CREATE INDEX record_tenant IF NOT EXISTS FOR (n:Record) ON (n.tenant_id);
CREATE INDEX record_block_0 IF NOT EXISTS FOR (n:Record) ON (n.block_0);
CREATE INDEX record_block_1 IF NOT EXISTS FOR (n:Record) ON (n.block_1);
CREATE INDEX record_block_2 IF NOT EXISTS FOR (n:Record) ON (n.block_2);
CREATE INDEX record_block_3 IF NOT EXISTS FOR (n:Record) ON (n.block_3);
CREATE INDEX record_block_4 IF NOT EXISTS FOR (n:Record) ON (n.block_4);
CREATE INDEX record_block_5 IF NOT EXISTS FOR (n:Record) ON (n.block_5);
CREATE INDEX record_block_6 IF NOT EXISTS FOR (n:Record) ON (n.block_6);
CREATE INDEX record_block_7 IF NOT EXISTS FOR (n:Record) ON (n.block_7);
CREATE INDEX record_block_8 IF NOT EXISTS FOR (n:Record) ON (n.block_8);
CREATE INDEX record_block_9 IF NOT EXISTS FOR (n:Record) ON (n.block_9);
CREATE INDEX record_block_10 IF NOT EXISTS FOR (n:Record) ON (n.block_10);
CREATE INDEX record_block_11 IF NOT EXISTS FOR (n:Record) ON (n.block_11);
CREATE INDEX record_block_12 IF NOT EXISTS FOR (n:Record) ON (n.block_12);
CREATE INDEX record_block_13 IF NOT EXISTS FOR (n:Record) ON (n.block_13);
CREATE INDEX record_block_14 IF NOT EXISTS FOR (n:Record) ON (n.block_14);
CREATE INDEX record_block_15 IF NOT EXISTS FOR (n:Record) ON (n.block_15);
// Online links lock the hashed blocking keys they read (a fixed set per tenant); erasures are
// counted per tenant (new identity ids derive from the count).
CREATE CONSTRAINT link_lock_key IF NOT EXISTS FOR (n:LinkLock) REQUIRE n.key IS UNIQUE;
CREATE INDEX erasure_tenant IF NOT EXISTS FOR (n:Erasure) ON (n.tenant_id);
CREATE CONSTRAINT schema_version IF NOT EXISTS FOR (n:SchemaVersion) REQUIRE n.name IS UNIQUE;
// The review queue and the merge log are read a page at a time in the order of their index
// (item_id and event_id break ties of a batch written at one instant), so a page is one index
// walk that stops at its limit, whatever the queue's length; the indexes they replace lacked
// the tie-breaker and sorted every tied item.
DROP INDEX review_item_queue IF EXISTS;
DROP INDEX merge_event_log IF EXISTS;
CREATE INDEX review_item_page IF NOT EXISTS FOR (n:ReviewItem) ON (n.tenant_id, n.status, n.created_at, n.item_id);
CREATE INDEX merge_event_page IF NOT EXISTS FOR (n:MergeEvent) ON (n.tenant_id, n.at, n.event_id);
// Journeys of a storm (attribution reads); targeting by lifetime value, within a segment:
// ltv_rank is the value in cents, zero-padded, then the identity id, so one index walk in
// order serves every page of a cursor.
CREATE INDEX journey_storm IF NOT EXISTS FOR (n:Journey) ON (n.tenant_id, n.storm_id);
CREATE INDEX profile_ltv_rank IF NOT EXISTS FOR (n:Profile) ON (n.tenant_id, n.ltv_rank);
CREATE INDEX profile_segment_ltv_rank IF NOT EXISTS FOR (n:Profile) ON (n.tenant_id, n.segment, n.ltv_rank);
// Attribution: one config per tenant; results keyed tenant|journey|method and runs
// tenant|storm|method, so a re-run replaces; a storm's results read by method.
CREATE CONSTRAINT attribution_config_tenant IF NOT EXISTS FOR (n:AttributionConfig) REQUIRE n.tenant_id IS UNIQUE;
CREATE CONSTRAINT attribution_result_key IF NOT EXISTS FOR (n:AttributionResult) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT attribution_run_key IF NOT EXISTS FOR (n:AttributionRun) REQUIRE n.key IS UNIQUE;
CREATE INDEX attribution_result_storm IF NOT EXISTS FOR (n:AttributionResult) ON (n.tenant_id, n.storm_id, n.method);
CREATE INDEX attribution_run_storm IF NOT EXISTS FOR (n:AttributionRun) ON (n.tenant_id, n.storm_id);
// Live attribution: a storm's live state (keyed tenant|storm_id), each journey's part in it
// (tenant|journey_id; read by storm when reconciling), and the consumer group's progress.
CREATE CONSTRAINT live_storm_key IF NOT EXISTS FOR (n:LiveStorm) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT live_share_key IF NOT EXISTS FOR (n:LiveShare) REQUIRE n.key IS UNIQUE;
CREATE INDEX live_share_storm IF NOT EXISTS FOR (n:LiveShare) ON (n.tenant_id, n.storm_id);
CREATE CONSTRAINT stream_partition_key IF NOT EXISTS FOR (n:StreamPartition) REQUIRE n.key IS UNIQUE;
MERGE (v:SchemaVersion {name: 'stormops'}) SET v.version = $version, v.applied_at = datetime();
