// The countries an entity links: the countries of its direct counterparts, with the relations reaching each.
// With $asOf, only the relations that held then, as `autograph --as-of` (see role_of_entity.cypher).
// @param asOf = null: YYYY[-MM[-DD]], or null for every relation
// @param datedSources = []: ids of the dated sources (dates relations that have none of their own)
// @param sourceDates = []: their dates, in the same order
// @param entity: entity id, e.g. "catl"
// @example {"entity": "catl"}
MATCH (e {id: $entity})-[r]-(o)
WHERE o.country IS NOT NULL
WITH e, o, r, coalesce(toString(r.date), toString(r.asOf),
     reduce(m = null, i IN range(0, size($datedSources) - 1) |
            CASE WHEN $datedSources[i] IN coalesce(r.sources, []) AND (m IS NULL OR $sourceDates[i] < m)
                 THEN $sourceDates[i] ELSE m END)) AS since
WITH e, o, r, since, coalesce(toString(r.endDate), CASE WHEN r.status = 'ended' THEN since END) AS until
WHERE $asOf IS NULL OR (since <= $asOf + '~' AND (until IS NULL OR until > $asOf + '~'))
RETURN o.country AS country, count(r) AS relations, collect(DISTINCT o.id) AS entities
ORDER BY relations DESC, country
