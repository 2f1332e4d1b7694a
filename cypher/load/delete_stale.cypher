// --replace, inside the load's transaction: remove this dataset's relationships and nodes that
// an earlier load wrote and this one did not (rows deleted from the data since).
CALL () {
  MATCH ()-[r]->()
  WHERE r._dataset = $dataset AND r._load <> $run
  DELETE r
  RETURN count(r) AS relationships
}
CALL () {
  MATCH (n)
  WHERE n._dataset = $dataset AND n._load <> $run
  DETACH DELETE n
  RETURN count(n) AS nodes
}
RETURN nodes, relationships
