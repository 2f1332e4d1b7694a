// Every node a load of a dataset wrote, with its label and properties (used by export --from neo4j).
// @param dataset: the dataset name given at load time, "autograph" for the bundled data
// @example {"dataset": "autograph"}
MATCH (n)
WHERE n._dataset = $dataset
RETURN labels(n)[0] AS label, properties(n) AS properties
