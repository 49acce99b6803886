// Block until every index is online (schema changes are asynchronous).
CALL db.awaitIndexes(300)
