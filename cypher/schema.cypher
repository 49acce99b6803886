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
CREATE CONSTRAINT schema_version IF NOT EXISTS FOR (n:SchemaVersion) REQUIRE n.name IS UNIQUE;
CREATE INDEX review_item_queue IF NOT EXISTS FOR (n:ReviewItem) ON (n.tenant_id, n.status, n.created_at);
MERGE (v:SchemaVersion {name: 'stormops'}) SET v.version = $version, v.applied_at = datetime();
