// Record each property's arm; a property already assigned keeps its arm (re-runs are no-ops).
// $tenant, $experiment_id, $now, $rows: [{key, property_id, zip, variant, unit}]
MATCH (e:Experiment {experiment_id: $experiment_id, tenant_id: $tenant})
UNWIND $rows AS row
MERGE (p:Property {key: row.key})
  ON CREATE SET p.tenant_id = $tenant, p.property_id = row.property_id, p.created_at = $now
SET p.zip = coalesce(row.zip, p.zip)
MERGE (e)-[a:ASSIGNED]->(p)
  ON CREATE SET a.variant = row.variant, a.unit = row.unit, a.assigned_at = $now
