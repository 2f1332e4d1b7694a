// Companies ranked by their number of distinct cooperation partners.
// Cooperation types are the schema's cooperation group (both directions).
// With $asOf, only the relations that held then, as `autograph --as-of` (see role_of_entity.cypher).
// @param asOf = null: YYYY[-MM[-DD]], or null for every relation
// @param datedSources = []: ids of the dated sources (dates relations that have none of their own)
// @param sourceDates = []: their dates, in the same order
// @param limit: how many companies to return
// @types cooperationTypes: cooperation
// @example {"limit": 10}
MATCH (c:Company)-[r]-(p)
WHERE type(r) IN $cooperationTypes
WITH c, p, r, coalesce(toString(r.date), toString(r.asOf),
     reduce(m = null, i IN range(0, size($datedSources) - 1) |
            CASE WHEN $datedSources[i] IN coalesce(r.sources, []) AND (m IS NULL OR $sourceDates[i] < m)
                 THEN $sourceDates[i] ELSE m END)) AS since
WITH c, p, r, since, coalesce(toString(r.endDate), CASE WHEN r.status = 'ended' THEN since END) AS until
WHERE $asOf IS NULL OR (since <= $asOf + '~' AND (until IS NULL OR until > $asOf + '~'))
RETURN c.id AS company, c.name AS name, count(DISTINCT p) AS partners
ORDER BY partners DESC, company
LIMIT $limit
