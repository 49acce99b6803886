// A validated experiment definition.
// $tenant, $experiment_id, $now, $config (template, name, unit, variants, weights, control,
// salt, storm_id, stratify_by, channel)
CREATE (e:Experiment {experiment_id: $experiment_id, tenant_id: $tenant, created_at: $now})
SET e += $config
