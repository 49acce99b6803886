// Who owns a batch's identifiers and properties, read without locking them: a writer that
// finds a person fully linked already need not lock or write anything for them (see
// graph/_linking.settled_people). Answered as one row of lists, which the driver reads far
// faster than a record per item.
// $identifier_keys, $property_keys
// Returns: identifiers ([key, owner identity_id, owner first_name], owned ones only),
//          properties ([key, owner identity_id or null, [identity ids tied to it]])
CALL () {
  UNWIND $identifier_keys AS key
  MATCH (:Identifier {key: key})-[:LINK]->(owner:Identity)
  RETURN collect([key, owner.identity_id, owner.first_name]) AS identifiers
}
CALL () {
  UNWIND $property_keys AS key
  MATCH (p:Property {key: key})
  RETURN collect([key,
                  COLLECT { MATCH (o:Identity)-[:OWNS]->(p) RETURN o.identity_id }[0],
                  COLLECT { MATCH (n:Identity)-[:OWNS|RESIDES_AT]->(p) RETURN n.identity_id }])
         AS properties
}
RETURN identifiers, properties
