// Every relationship with its type, properties and end nodes, for graph/digest.py.
// Returns: type, props, start, end
MATCH (a)-[r]->(b)
RETURN type(r) AS type, properties(r) AS props, elementId(a) AS start, elementId(b) AS end
