// How many nodes and relationships of a dataset this load wrote (checked before it commits).
MATCH (n)
WHERE n._dataset = $dataset AND n._load = $run
WITH count(n) AS nodes
OPTIONAL MATCH ()-[r]->()
WHERE r._dataset = $dataset AND r._load = $run
RETURN nodes, count(r) AS relationships
