// Who owns a batch's identifiers and properties, read without locking them: a writer that
// finds a person fully linked already need not lock or write anything for them (see
// graph/_linking.settled_people). Answered as one row of lists, which the driver reads far
// faster than a record per item.
// Each lookup starts at its key's index (hinted) and only expands from there: LINK, OWNS and
// RESIDES_AT always end or start at an Identity, so the far ends carry no label. Planned
// otherwise (a plan made on a store with few identities scanned every Identity per key), a
// 20k-event load spent 40 s here instead of 0.2 s; EXPLAIN does not show such a nested plan.
// $identifier_keys, $property_keys
// Returns: identifiers ([key, owner identity_id, owner first_name], owned ones only),
//          properties ([key, owner identity_id or null, [identity ids tied to it]])
CALL () {
  UNWIND $identifier_keys AS key
  MATCH (i:Identifier {key: key})-[:LINK]->(owner) USING INDEX SEEK i:Identifier(key)
  RETURN collect([key, owner.identity_id, owner.first_name]) AS identifiers
}
CALL () {
  UNWIND $property_keys AS key
  MATCH (p:Property {key: key}) USING INDEX SEEK p:Property(key)
  RETURN collect([key,
                  COLLECT { MATCH (p)<-[:OWNS]-(o) RETURN o.identity_id }[0],
                  COLLECT { MATCH (p)<-[:OWNS|RESIDES_AT]-(n) RETURN n.identity_id }])
         AS properties
}
RETURN identifiers, properties
