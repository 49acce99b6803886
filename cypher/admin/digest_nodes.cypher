// Every node with its labels and properties, for graph/digest.py (a whole-database pass).
// Returns: id, labels, props
MATCH (n)
RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props
