// Everything a given source article supports: the relations citing it.
// With $asOf, only the relations that held then, as `autograph --as-of` (see role_of_entity.cypher).
// @param asOf = null: YYYY[-MM[-DD]], or null for every relation
// @param datedSources = []: ids of the dated sources (dates relations that have none of their own)
// @param sourceDates = []: their dates, in the same order
// @param source: source id (the article's file name without .txt)
// @example {"source": "001_a3af7357bdf967bf"}
MATCH (a)-[r]->(b)
WHERE $source IN r.sources
WITH a, b, r, coalesce(toString(r.date), toString(r.asOf),
     reduce(m = null, i IN range(0, size($datedSources) - 1) |
            CASE WHEN $datedSources[i] IN coalesce(r.sources, []) AND (m IS NULL OR $sourceDates[i] < m)
                 THEN $sourceDates[i] ELSE m END)) AS since
WITH a, b, r, since, coalesce(toString(r.endDate), CASE WHEN r.status = 'ended' THEN since END) AS until
WHERE $asOf IS NULL OR (since <= $asOf + '~' AND (until IS NULL OR until > $asOf + '~'))
RETURN r.id AS relation, type(r) AS type, a.id AS source, b.id AS target, r.status AS status,
       r.evidence AS evidence
ORDER BY relation
