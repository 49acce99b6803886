// The experiments run in one storm, oldest first. $tenant, $storm_id. Returns: experiment
MATCH (e:Experiment {tenant_id: $tenant})
WHERE e.storm_id = $storm_id
RETURN e {.*} AS experiment
ORDER BY e.created_at
