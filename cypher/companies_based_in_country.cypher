// Companies and organisations based in a country: their headquarters lies in it, directly or through the regions that contain it.
// Regional headquarters carry their hqScope (e.g. Europe); a base that a reference disputes carries the disputing sources.
// With $asOf, only the relations that held then, as `autograph --as-of` (see role_of_entity.cypher): the headquarters and every LOCATED_IN link.
// @param asOf = null: YYYY[-MM[-DD]], or null for every relation
// @param datedSources = []: ids of the dated sources (dates relations that have none of their own)
// @param sourceDates = []: their dates, in the same order
// @param country: ISO 3166-1 alpha-2 code, e.g. "CN"
// @example {"country": "CN"}
MATCH (c:Country {country: $country})
MATCH (a)-[h:HEADQUARTERED_IN]->(base)
WHERE ($asOf IS NULL OR (coalesce(toString(h.date), toString(h.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(h.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) <= $asOf + '~' AND coalesce(toString(h.endDate), CASE WHEN h.status = 'ended' THEN coalesce(toString(h.date), toString(h.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(h.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) END, $asOf + '~~') > $asOf + '~'))
MATCH chain = (base)-[:LOCATED_IN*0..4]->(c)
WHERE all(link IN relationships(chain) WHERE ($asOf IS NULL OR (coalesce(toString(link.date), toString(link.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(link.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) <= $asOf + '~' AND coalesce(toString(link.endDate), CASE WHEN link.status = 'ended' THEN coalesce(toString(link.date), toString(link.asOf), reduce(m = null, i IN range(0, size($datedSources) - 1) | CASE WHEN $datedSources[i] IN coalesce(link.sources, []) AND (m IS NULL OR $sourceDates[i] < m) THEN $sourceDates[i] ELSE m END)) END, $asOf + '~~') > $asOf + '~')))
RETURN DISTINCT a.id AS id, a.name AS name, labels(a)[0] AS label, base.id AS base,
       h.hqScope AS hqScope, h.disputedBy AS disputedBy
ORDER BY id, base
