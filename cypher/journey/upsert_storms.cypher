// Storms with their name, date and storm-wide SII (storm impact index, 0-100), and the SII
// measured at given properties (an IMPACTED edge, created with the Property when needed; a
// zip given is kept on the Property).
// $tenant, $now, $storms: [{key, storm_id, name, date, sii,
//                           properties: [{key, property_id, sii, zip}]}]
UNWIND $storms AS row
MERGE (s:Storm {key: row.key})
  ON CREATE SET s.tenant_id = $tenant, s.storm_id = row.storm_id
SET s.name = row.name, s.date = row.date, s.sii = row.sii
WITH s, row
UNWIND row.properties AS prop
MERGE (p:Property {key: prop.key})
  ON CREATE SET p.tenant_id = $tenant, p.property_id = prop.property_id, p.created_at = $now
SET p.zip = coalesce(prop.zip, p.zip)
MERGE (s)-[im:IMPACTED]->(p)
SET im.sii = prop.sii
