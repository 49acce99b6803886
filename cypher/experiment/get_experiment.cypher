// One experiment of the tenant. $tenant, $experiment_id. Returns: experiment
MATCH (e:Experiment {experiment_id: $experiment_id, tenant_id: $tenant})
RETURN e {.*} AS experiment
