// The countries an entity links: the countries of its direct counterparts, with the relations reaching each.
// With $asOf, only the relations that held on that day: validFrom <= $asOf and no validUntil <= $asOf (as `autograph --as-of`).
// @param entity: entity id, e.g. "catl"
// @param asOf = null: a date YYYY[-MM[-DD]] (its last day counts), or null for every relation
// @example {"entity": "catl"}
MATCH (e {id: $entity})-[r]-(other)
WHERE other.country IS NOT NULL AND ($asOf IS NULL OR r.validFrom <= $asOf AND coalesce(r.validUntil > $asOf, true))
RETURN other.country AS country, count(r) AS relations, collect(DISTINCT other.id) AS entities
ORDER BY relations DESC, country
