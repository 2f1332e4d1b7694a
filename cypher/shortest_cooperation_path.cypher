// The shortest cooperation path between two entities, ignoring direction, over at most 8 cooperation relations.
// Cooperation types are PARTNERS_WITH|JOINT_VENTURE|SUPPLIES|SIGNED_MOU|OWNS|INVESTS_IN. Returns no path (null) when they are not connected.
// @param source: entity id where the path starts, e.g. "skoda"
// @param target: entity id where it ends, e.g. "catl"
// @example {"source": "skoda", "target": "catl"}
MATCH (a {id: $source}), (b {id: $target})
WITH shortestPath((a)-[:PARTNERS_WITH|JOINT_VENTURE|SUPPLIES|SIGNED_MOU|OWNS|INVESTS_IN*..8]-(b)) AS p
RETURN [n IN nodes(p) | n.id] AS path, [r IN relationships(p) | type(r)] AS types, length(p) AS hops
