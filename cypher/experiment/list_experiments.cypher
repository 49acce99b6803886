// The tenant's experiments, newest first, optionally those of one storm, with units and
// properties per arm. $tenant, $storm_id (null: all).
// Returns: experiment, arms ([{variant, units, properties}])
MATCH (e:Experiment {tenant_id: $tenant})
WHERE $storm_id IS NULL OR e.storm_id = $storm_id
WITH e
ORDER BY e.created_at DESC
RETURN e {.*} AS experiment,
       COLLECT {
         MATCH (e)-[a:ASSIGNED]->(:Property)
         WITH a.variant AS variant, count(DISTINCT a.unit) AS units, count(*) AS properties
         RETURN {variant: variant, units: units, properties: properties}
       } AS arms
