// How many nodes and relationships a dataset has in the database.
MATCH (n)
WHERE n._dataset = $dataset
WITH count(n) AS nodes
OPTIONAL MATCH ()-[r]->()
WHERE r._dataset = $dataset
RETURN nodes, count(r) AS relationships
