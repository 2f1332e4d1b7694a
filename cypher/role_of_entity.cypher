// The role of an entity (e.g. CATL): every relation with its counterpart, direction, status and sources.
// Direction is out or in; symmetric relationship types (a partnership) say both.
// With $asOf, only the relations that held then (as `autograph --as-of`): dated (its date, else
// asOf, else its earliest dated source, from $datedSources and $sourceDates) by the end of the period, and not ended before
// it is over. Dates compare as ISO text: a shorter date (2024, 2024-05) sorts before its days,
// and $asOf + '~' after every day of its period, on text (FalkorDB) and on Neo4j dates alike.
// @param entity: entity id, e.g. "catl"
// @param asOf = null: YYYY[-MM[-DD]], or null for every relation
// @param datedSources = []: ids of the dated sources (for relations dated only by their sources); [] if none
// @param sourceDates = []: their dates, in the same order
// @types symmetricTypes: symmetric
// @example {"entity": "catl"}
MATCH (e {id: $entity})-[r]-(o)
WITH e, r, o, coalesce(toString(r.date), toString(r.asOf),
     reduce(m = null, i IN range(0, size($datedSources) - 1) |
            CASE WHEN $datedSources[i] IN coalesce(r.sources, []) AND (m IS NULL OR $sourceDates[i] < m)
                 THEN $sourceDates[i] ELSE m END)) AS since
WITH e, r, o, since,
     coalesce(toString(r.endDate), CASE WHEN r.status = 'ended' THEN since END) AS until
WHERE $asOf IS NULL OR (since <= $asOf + '~' AND (until IS NULL OR until > $asOf + '~'))
RETURN type(r) AS type,
       CASE WHEN type(r) IN $symmetricTypes THEN 'both'
            WHEN startNode(r) = e THEN 'out' ELSE 'in' END AS direction,
       o.id AS counterpart, o.name AS name, labels(o)[0] AS label, o.country AS country,
       r.status AS status, r.sources AS sources
