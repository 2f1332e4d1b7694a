// Relations whose status is ended: terminated, expired or failed cooperations (e.g. after an insolvency).
// With $asOf, only the relations that held then, as `autograph --as-of` (see role_of_entity.cypher).
// @param asOf = null: YYYY[-MM[-DD]], or null for every relation
// @param datedSources = []: ids of the dated sources (dates relations that have none of their own)
// @param sourceDates = []: their dates, in the same order
// @example {}
MATCH (a)-[r]->(b)
WHERE r.status = 'ended'
WITH a, b, r, coalesce(toString(r.date), toString(r.asOf),
     reduce(m = null, i IN range(0, size($datedSources) - 1) |
            CASE WHEN $datedSources[i] IN coalesce(r.sources, []) AND (m IS NULL OR $sourceDates[i] < m)
                 THEN $sourceDates[i] ELSE m END)) AS since
WITH a, b, r, since, coalesce(toString(r.endDate), CASE WHEN r.status = 'ended' THEN since END) AS until
WHERE $asOf IS NULL OR (since <= $asOf + '~' AND (until IS NULL OR until > $asOf + '~'))
RETURN type(r) AS type, a.id AS source, b.id AS target, r.evidence AS evidence, r.sources AS sources
ORDER BY type, source, target
