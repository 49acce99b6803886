// Appends new events to their (open) journeys. An event key already present (a duplicate that
// raced in) is left alone and not returned. An event without its own SII takes the one its
// storm measured at its property (IMPACTED), when there is one.
// $tenant, $events: [{key, journey_id, storm_key, property_key, ts_s, ts_ns (the event time as
//                     epoch seconds and nanoseconds), props}]
// Returns: keys (of the events written, one row)
UNWIND $events AS row
MERGE (t:Touchpoint {key: row.key})
  ON CREATE SET t += row.props, t.tenant_id = $tenant, t._new = true,
                t.ts = datetime({epochSeconds: row.ts_s, nanosecond: row.ts_ns})
WITH t, row WHERE t._new
REMOVE t._new
WITH t, row
MATCH (j:Journey {journey_id: row.journey_id}) USING INDEX SEEK j:Journey(journey_id)
CREATE (j)-[:HAS]->(t)
WITH t, row
CALL (t, row) {
  WITH t, row WHERE t.sii IS NULL AND row.property_key IS NOT NULL
  MATCH (s:Storm {key: row.storm_key})-[im:IMPACTED]->(p:Property {key: row.property_key})
    USING INDEX SEEK s:Storm(key) USING INDEX SEEK p:Property(key)
  SET t.sii = im.sii
}
RETURN collect(row.key) AS keys
