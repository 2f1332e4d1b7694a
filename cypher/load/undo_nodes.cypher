// Undo: remove the nodes a failed load created (nodes that existed before it are restored instead).
MATCH (n)
WHERE n._dataset = $dataset AND n._created = $run
DETACH DELETE n
