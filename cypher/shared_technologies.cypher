// Technology platforms shared across brands: technologies used by more than one company, directly, through a plant it operates or a model it makes.
// With $asOf, only the relations that held then, as `autograph --as-of` (see role_of_entity.cypher): every relation of a path.
// @param asOf = null: YYYY[-MM[-DD]], or null for every relation
// @param datedSources = []: ids of the dated sources (dates relations that have none of their own)
// @param sourceDates = []: their dates, in the same order
// @example {}
MATCH (t:Technology)
OPTIONAL MATCH (c:Company)-[r:USES_TECHNOLOGY|DEVELOPS]->(t)
WHERE ($asOf IS NULL OR (coalesce(toString(r.date), toString(r.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(r.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) <= $asOf + '~' AND coalesce(toString(r.endDate), CASE WHEN r.status = 'ended' THEN coalesce(toString(r.date), toString(r.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(r.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) END, $asOf + '~~') > $asOf + '~'))
WITH t, collect(DISTINCT c.id) AS direct
OPTIONAL MATCH (c2:Company)-[via:OPERATES|PRODUCES|DEVELOPS]->(x)-[r2:USES_TECHNOLOGY|DEVELOPS]->(t)
WHERE ($asOf IS NULL OR (coalesce(toString(via.date), toString(via.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(via.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) <= $asOf + '~' AND coalesce(toString(via.endDate), CASE WHEN via.status = 'ended' THEN coalesce(toString(via.date), toString(via.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(via.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) END, $asOf + '~~') > $asOf + '~'))
  AND ($asOf IS NULL OR (coalesce(toString(r2.date), toString(r2.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(r2.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) <= $asOf + '~' AND coalesce(toString(r2.endDate), CASE WHEN r2.status = 'ended' THEN coalesce(toString(r2.date), toString(r2.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(r2.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) END, $asOf + '~~') > $asOf + '~'))
WITH t, direct, collect(DISTINCT c2.id) AS indirect
WITH t, reduce(acc = direct, id IN indirect | CASE WHEN id IN acc THEN acc ELSE acc + id END) AS companies
WHERE size(companies) > 1
RETURN t.id AS technology, t.name AS name, companies, size(companies) AS brands
ORDER BY brands DESC, technology
