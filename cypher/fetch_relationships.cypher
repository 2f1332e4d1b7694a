// Every relationship a load of a dataset wrote, with its ends, type and properties (used by export --from neo4j).
// @param dataset: the dataset name given at load time, "autograph" for the bundled data
// @example {"dataset": "autograph"}
MATCH (a)-[r]->(b)
WHERE r._dataset = $dataset
RETURN a.id AS source, b.id AS target, type(r) AS type, properties(r) AS properties
