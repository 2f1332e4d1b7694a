// Companies and organisations based in a country: their headquarters lies in it, directly or through the regions that contain it.
// Regional headquarters carry their hqScope (e.g. Europe); a base that a reference disputes carries the disputing sources.
// @param country: ISO 3166-1 alpha-2 code, e.g. "CN"
// @example {"country": "CN"}
MATCH (c:Country {country: $country})
MATCH (a)-[h:HEADQUARTERED_IN]->(base)
MATCH (base)-[:LOCATED_IN*0..4]->(c)
RETURN DISTINCT a.id AS id, a.name AS name, labels(a)[0] AS label, base.id AS base,
       h.hqScope AS hqScope, h.disputedBy AS disputedBy
ORDER BY id, base
