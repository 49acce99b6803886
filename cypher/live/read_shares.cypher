// Each journey's part in its storm's live state, as last written (JSON).
// $keys (tenant|journey_id). Returns: journey_id, share
UNWIND $keys AS key
MATCH (s:LiveShare {key: key})
RETURN s.journey_id AS journey_id, s.share AS share
