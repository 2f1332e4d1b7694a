// The nodes of a dataset as they are before a load (label, id, properties), to undo it if it fails.
MATCH (n)
WHERE n._dataset = $dataset
RETURN labels(n)[0] AS label, n.id AS id, properties(n) AS properties
