// Assignment units and properties per arm of an experiment (a geo experiment's unit is a zip).
// $tenant, $experiment_id. Returns: variant, units, properties
MATCH (:Experiment {experiment_id: $experiment_id, tenant_id: $tenant})-[a:ASSIGNED]->(:Property)
RETURN a.variant AS variant, count(DISTINCT a.unit) AS units, count(*) AS properties
