// Undo: remove the relationships a failed load created (those that existed before it are restored instead).
MATCH ()-[r]->()
WHERE r._dataset = $dataset AND r._created = $run
DELETE r
