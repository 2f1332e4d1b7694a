// A regional hub (e.g. Flanders): plants located in or belonging to a region, their operators, technologies, suppliers and foreign partners.
// Plants count when a chain of up to three geography relations (the schema's geography group) leads to the region.
// Foreign partners are cooperation partners of the operators whose country differs from the region's.
// With $asOf, only the relations that held then, as `autograph --as-of` (see role_of_entity.cypher): every relation of a path.
// @param asOf = null: YYYY[-MM[-DD]], or null for every relation
// @param datedSources = []: ids of the dated sources (dates relations that have none of their own)
// @param sourceDates = []: their dates, in the same order
// @param region: region id, e.g. "flanders"
// @types geographyTypes: geography
// @types cooperationTypes: cooperation
// @example {"region": "flanders"}
MATCH (reg:Region {id: $region})
MATCH chain = (p:Plant)-[*1..3]->(reg)
WHERE all(link IN relationships(chain) WHERE type(link) IN $geographyTypes
          AND ($asOf IS NULL OR (coalesce(toString(link.date), toString(link.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(link.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) <= $asOf + '~' AND coalesce(toString(link.endDate), CASE WHEN link.status = 'ended' THEN coalesce(toString(link.date), toString(link.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(link.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) END, $asOf + '~~') > $asOf + '~')))
WITH DISTINCT reg, p
OPTIONAL MATCH (op)-[ro:OPERATES]->(p)
WHERE ($asOf IS NULL OR (coalesce(toString(ro.date), toString(ro.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(ro.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) <= $asOf + '~' AND coalesce(toString(ro.endDate), CASE WHEN ro.status = 'ended' THEN coalesce(toString(ro.date), toString(ro.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(ro.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) END, $asOf + '~~') > $asOf + '~'))
OPTIONAL MATCH (p)-[rt:USES_TECHNOLOGY]->(t:Technology)
WHERE ($asOf IS NULL OR (coalesce(toString(rt.date), toString(rt.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(rt.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) <= $asOf + '~' AND coalesce(toString(rt.endDate), CASE WHEN rt.status = 'ended' THEN coalesce(toString(rt.date), toString(rt.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(rt.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) END, $asOf + '~~') > $asOf + '~'))
OPTIONAL MATCH (s)-[rs:SUPPLIES]->(p)
WHERE ($asOf IS NULL OR (coalesce(toString(rs.date), toString(rs.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(rs.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) <= $asOf + '~' AND coalesce(toString(rs.endDate), CASE WHEN rs.status = 'ended' THEN coalesce(toString(rs.date), toString(rs.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(rs.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) END, $asOf + '~~') > $asOf + '~'))
OPTIONAL MATCH (op)-[pr]-(partner)
WHERE type(pr) IN $cooperationTypes AND partner.country IS NOT NULL AND partner.country <> reg.country
  AND ($asOf IS NULL OR (coalesce(toString(pr.date), toString(pr.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(pr.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) <= $asOf + '~' AND coalesce(toString(pr.endDate), CASE WHEN pr.status = 'ended' THEN coalesce(toString(pr.date), toString(pr.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(pr.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) END, $asOf + '~~') > $asOf + '~'))
RETURN p.id AS plant, p.name AS name, collect(DISTINCT op.id) AS operators,
       collect(DISTINCT t.id) AS technologies, collect(DISTINCT s.id) AS suppliers,
       collect(DISTINCT partner.id) AS foreignPartners
ORDER BY plant
