// Partners of an entity: who it cooperates with, and by which relationship types.
// Follows the schema's cooperation types, in both directions, unless types are given.
// With $asOf, only the relations that held then, as `autograph --as-of` (see role_of_entity.cypher).
// @param asOf = null: YYYY[-MM[-DD]], or null for every relation
// @param datedSources = []: ids of the dated sources (dates relations that have none of their own)
// @param sourceDates = []: their dates, in the same order
// @param company: entity id, e.g. "volkswagen-group"
// @param types: relationship types to follow; [] for all cooperation types
// @types cooperationTypes: cooperation
// @example {"company": "volkswagen-group", "types": []}
MATCH (c {id: $company})-[r]-(p)
WHERE (size($types) = 0 AND type(r) IN $cooperationTypes) OR type(r) IN $types
WITH c, p, r, coalesce(toString(r.date), toString(r.asOf),
     reduce(m = null, i IN range(0, size($datedSources) - 1) |
            CASE WHEN $datedSources[i] IN coalesce(r.sources, []) AND (m IS NULL OR $sourceDates[i] < m)
                 THEN $sourceDates[i] ELSE m END)) AS since
WITH c, p, r, since, coalesce(toString(r.endDate), CASE WHEN r.status = 'ended' THEN since END) AS until
WHERE $asOf IS NULL OR (since <= $asOf + '~' AND (until IS NULL OR until > $asOf + '~'))
RETURN p.id AS partner, p.name AS name, labels(p)[0] AS label, collect(DISTINCT type(r)) AS types,
       count(r) AS relations
ORDER BY relations DESC, partner
