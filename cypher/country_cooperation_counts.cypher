// Cooperation between countries: how many cooperation relations link entities of two countries (pairs unordered, domestic included).
// Cooperation types are the schema's cooperation group; each relation counts once.
// With $asOf, only the relations that held then, as `autograph --as-of` (see role_of_entity.cypher).
// @param asOf = null: YYYY[-MM[-DD]], or null for every relation
// @param datedSources = []: ids of the dated sources (dates relations that have none of their own)
// @param sourceDates = []: their dates, in the same order
// @types cooperationTypes: cooperation
// @example {}
MATCH (a)-[r]->(b)
WHERE type(r) IN $cooperationTypes AND a.country IS NOT NULL AND b.country IS NOT NULL
WITH a, b, r, coalesce(toString(r.date), toString(r.asOf),
     reduce(m = null, i IN range(0, size($datedSources) - 1) |
            CASE WHEN $datedSources[i] IN coalesce(r.sources, []) AND (m IS NULL OR $sourceDates[i] < m)
                 THEN $sourceDates[i] ELSE m END)) AS since
WITH a, b, r, since, coalesce(toString(r.endDate), CASE WHEN r.status = 'ended' THEN since END) AS until
WHERE $asOf IS NULL OR (since <= $asOf + '~' AND (until IS NULL OR until > $asOf + '~'))
WITH r, CASE WHEN a.country <= b.country THEN a.country ELSE b.country END AS country1,
     CASE WHEN a.country <= b.country THEN b.country ELSE a.country END AS country2
RETURN country1, country2, count(r) AS relations
ORDER BY relations DESC, country1, country2
