// The shortest cooperation path between two entities, ignoring direction, over at most 6 cooperation relations.
// Cooperation types are the schema's cooperation group. No row when they are not connected; source and target must differ.
// The predicate on every relationship of the path is checked while shortestPath searches (Neo4j's fast breadth-first search).
// With $asOf, only the relations that held on that day: validFrom <= $asOf and no validUntil <= $asOf (as `autograph --as-of`): every relation of the path.
// @param source: entity id where the path starts, e.g. "skoda"
// @param target: entity id where it ends, e.g. "catl"
// @param asOf = null: a date YYYY[-MM[-DD]] (its last day counts), or null for every relation
// @types cooperationTypes: cooperation
// @example {"source": "skoda", "target": "catl"}
MATCH path = shortestPath((a {id: $source})-[*..6]-(b {id: $target}))
WHERE all(r IN relationships(path)
          WHERE type(r) IN $cooperationTypes
            AND ($asOf IS NULL OR r.validFrom <= $asOf AND coalesce(r.validUntil > $asOf, true)))
RETURN [n IN nodes(path) | n.id] AS path, [r IN relationships(path) | type(r)] AS types,
  length(path) AS hops
