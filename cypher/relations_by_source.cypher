// Everything a given source article supports: the relations citing it.
// With $asOf, only the relations that held on that day: validFrom <= $asOf and no validUntil <= $asOf (as `autograph --as-of`).
// @param source: source id (the article's file name without .txt)
// @param asOf = null: a date YYYY[-MM[-DD]] (its last day counts), or null for every relation
// @example {"source": "001_a3af7357bdf967bf"}
MATCH (a)-[r]->(b)
WHERE $source IN r.sources AND ($asOf IS NULL OR r.validFrom <= $asOf AND coalesce(r.validUntil > $asOf, true))
RETURN r.id AS relation, type(r) AS type, a.id AS source, b.id AS target, r.status AS status,
  r.evidence AS evidence
ORDER BY relation
