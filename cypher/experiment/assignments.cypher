// Every property's arm in an experiment. $tenant, $experiment_id.
// Returns: property_id, variant
MATCH (:Experiment {experiment_id: $experiment_id, tenant_id: $tenant})-[a:ASSIGNED]->(p:Property)
RETURN p.property_id AS property_id, a.variant AS variant
