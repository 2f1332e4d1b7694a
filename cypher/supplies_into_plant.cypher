// Supply relations into a plant: deliveries to the plant itself and to the companies that operate it.
// With $asOf, only the relations that held then, as `autograph --as-of` (see role_of_entity.cypher); its operators too.
// @param asOf = null: YYYY[-MM[-DD]], or null for every relation
// @param datedSources = []: ids of the dated sources (dates relations that have none of their own)
// @param sourceDates = []: their dates, in the same order
// @param plant: plant id, e.g. "plant-daf-temse"
// @example {"plant": "plant-daf-temse"}
MATCH (p:Plant {id: $plant})
OPTIONAL MATCH (op)-[r:OPERATES]->(p)
WITH p, op, r, coalesce(toString(r.date), toString(r.asOf),
     reduce(m = null, i IN range(0, size($datedSources) - 1) |
            CASE WHEN $datedSources[i] IN coalesce(r.sources, []) AND (m IS NULL OR $sourceDates[i] < m)
                 THEN $sourceDates[i] ELSE m END)) AS since
WITH p, op, r, since, coalesce(toString(r.endDate), CASE WHEN r.status = 'ended' THEN since END) AS until
WITH p, CASE WHEN r IS NOT NULL AND ($asOf IS NULL OR (since <= $asOf + '~' AND (until IS NULL OR until > $asOf + '~'))) THEN op.id END AS operator
WITH p, collect(operator) AS operators
MATCH (s)-[r:SUPPLIES]->(x)
WHERE x.id = p.id OR x.id IN operators
WITH s, x, r, coalesce(toString(r.date), toString(r.asOf),
     reduce(m = null, i IN range(0, size($datedSources) - 1) |
            CASE WHEN $datedSources[i] IN coalesce(r.sources, []) AND (m IS NULL OR $sourceDates[i] < m)
                 THEN $sourceDates[i] ELSE m END)) AS since
WITH s, x, r, since, coalesce(toString(r.endDate), CASE WHEN r.status = 'ended' THEN since END) AS until
WHERE $asOf IS NULL OR (since <= $asOf + '~' AND (until IS NULL OR until > $asOf + '~'))
RETURN s.id AS supplier, s.name AS name, x.id AS deliversTo, r.status AS status,
       r.sources AS sources, r.evidence AS evidence
ORDER BY supplier, deliversTo
