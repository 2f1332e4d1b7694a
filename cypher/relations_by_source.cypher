// Everything a given source article supports: the relations citing it.
// @param source: source id (the article's file name without .txt)
// @example {"source": "001_a3af7357bdf967bf"}
MATCH (a)-[r]->(b)
WHERE $source IN r.sources
RETURN r.id AS relation, type(r) AS type, a.id AS source, b.id AS target, r.status AS status,
       r.evidence AS evidence
ORDER BY relation
