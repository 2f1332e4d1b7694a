// The shortest cooperation path between two entities, ignoring direction, over at most 6 cooperation relations.
// Cooperation types are PARTNERS_WITH|JOINT_VENTURE|SUPPLIES|SIGNED_MOU|OWNS|INVESTS_IN. No row when they are not connected.
// Written as a bounded variable-length match so that it runs on every Bolt server we test
// (FalkorDB's shortestPath is directed only); on large Neo4j graphs shortestPath() is faster.
// @param source: entity id where the path starts, e.g. "skoda"
// @param target: entity id where it ends, e.g. "catl"
// @example {"source": "skoda", "target": "catl"}
MATCH p = (a {id: $source})-[:PARTNERS_WITH|JOINT_VENTURE|SUPPLIES|SIGNED_MOU|OWNS|INVESTS_IN*1..6]-(b {id: $target})
RETURN [n IN nodes(p) | n.id] AS path, [r IN relationships(p) | type(r)] AS types, length(p) AS hops
ORDER BY hops
LIMIT 1
