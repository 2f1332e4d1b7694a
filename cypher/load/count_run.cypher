// How many nodes and relationships carry a load's run id.
MATCH (n)
WHERE n._load = $run
WITH count(n) AS nodes
OPTIONAL MATCH ()-[r]->()
WHERE r._load = $run
RETURN nodes, count(r) AS relationships
