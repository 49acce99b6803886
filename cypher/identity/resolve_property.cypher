// The identity that owns a property.
// $key (property key). Returns: identity_id
MATCH (:Property {key: $key})<-[:OWNS]-(n)  // from the property: OWNS starts at an Identity
RETURN n.identity_id AS identity_id
