// Events of a batch already recorded (duplicates by event id), with where they landed.
// $keys (tenant|event_id). Returns: key, journey_id, identity_id
UNWIND $keys AS key
MATCH (t:Touchpoint {key: key}) USING INDEX SEEK t:Touchpoint(key)
OPTIONAL MATCH (j:Journey)-[:HAS]->(t)
RETURN key, j.journey_id AS journey_id, j.identity_id AS identity_id
