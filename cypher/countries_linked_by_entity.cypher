// The countries an entity links: the countries of its direct counterparts, with the relations reaching each.
// @param entity: entity id, e.g. "catl"
// @example {"entity": "catl"}
MATCH (e {id: $entity})-[r]-(o)
WHERE o.country IS NOT NULL
RETURN o.country AS country, count(r) AS relations, collect(DISTINCT o.id) AS entities
ORDER BY relations DESC, country
