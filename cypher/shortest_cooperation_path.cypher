// The shortest cooperation path between two entities, ignoring direction, over at most 6 cooperation relations.
// Cooperation types are the schema's cooperation group. No row when they are not connected.
// Written as a bounded variable-length match so that it runs on every Bolt server we test
// (FalkorDB's shortestPath is directed only); on large Neo4j graphs shortestPath() is faster.
// With $asOf, only the relations that held then, as `autograph --as-of` (see role_of_entity.cypher): every relation of a path.
// @param asOf = null: YYYY[-MM[-DD]], or null for every relation
// @param datedSources = []: ids of the dated sources (dates relations that have none of their own)
// @param sourceDates = []: their dates, in the same order
// @param source: entity id where the path starts, e.g. "skoda"
// @param target: entity id where it ends, e.g. "catl"
// @types cooperationTypes: cooperation
// @example {"source": "skoda", "target": "catl"}
MATCH p = (a {id: $source})-[*1..6]-(b {id: $target})
WHERE all(link IN relationships(p) WHERE type(link) IN $cooperationTypes
          AND ($asOf IS NULL OR (coalesce(toString(link.date), toString(link.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(link.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) <= $asOf + '~' AND coalesce(toString(link.endDate), CASE WHEN link.status = 'ended' THEN coalesce(toString(link.date), toString(link.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(link.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) END, $asOf + '~~') > $asOf + '~')))
RETURN [n IN nodes(p) | n.id] AS path, [link IN relationships(p) | type(link)] AS types,
       length(p) AS hops
ORDER BY hops
LIMIT 1
