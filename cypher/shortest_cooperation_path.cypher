// The shortest cooperation path between two entities, ignoring direction, over at most 6 cooperation relations.
// Cooperation types are the schema's cooperation group. No row when they are not connected.
// Written as a bounded variable-length match so that it runs on every Bolt server we test
// (FalkorDB's shortestPath is directed only); on large Neo4j graphs shortestPath() is faster.
// @param source: entity id where the path starts, e.g. "skoda"
// @param target: entity id where it ends, e.g. "catl"
// @types cooperationTypes: cooperation
// @example {"source": "skoda", "target": "catl"}
MATCH p = (a {id: $source})-[*1..6]-(b {id: $target})
WHERE all(link IN relationships(p) WHERE type(link) IN $cooperationTypes)
RETURN [n IN nodes(p) | n.id] AS path, [link IN relationships(p) | type(link)] AS types,
       length(p) AS hops
ORDER BY hops
LIMIT 1
