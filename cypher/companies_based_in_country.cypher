// Companies and organisations based in a country: their headquarters lies in it, directly or through up to four LOCATED_IN links.
// Regional headquarters carry their hqScope (e.g. Europe); a base that a reference disputes carries the disputing sources.
// With $asOf, only the relations that held on that day: validFrom <= $asOf and no validUntil <= $asOf (as `autograph --as-of`): the headquarters and every LOCATED_IN link.
// @param country: ISO 3166-1 alpha-2 code, e.g. "CN"
// @param asOf = null: a date YYYY[-MM[-DD]] (its last day counts), or null for every relation
// @example {"country": "CN"}
MATCH (home:Country {country: $country})
MATCH (a)-[hq:HEADQUARTERED_IN]->(base)
WHERE ($asOf IS NULL OR hq.validFrom <= $asOf AND coalesce(hq.validUntil > $asOf, true))
  AND EXISTS {
    MATCH chain = (base)-[:LOCATED_IN*0..4]->(home)
    WHERE all(link IN relationships(chain)
              WHERE $asOf IS NULL OR link.validFrom <= $asOf AND coalesce(link.validUntil > $asOf, true)) }
RETURN a.id AS id, a.name AS name, labels(a)[0] AS label, base.id AS base,
  hq.hqScope AS hqScope, hq.disputedBy AS disputedBy
ORDER BY id, base
