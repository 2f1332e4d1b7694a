// Cooperation between countries: how many cooperation relations link entities of two countries (pairs unordered, domestic included).
// Cooperation types are the schema's cooperation group. Each relation is matched in both directions and kept in the one
// where country1 <= country2, so it counts once (count DISTINCT for a domestic one, which matches both ways).
// With $asOf, only the relations that held on that day: validFrom <= $asOf and no validUntil <= $asOf (as `autograph --as-of`).
// @param asOf = null: a date YYYY[-MM[-DD]] (its last day counts), or null for every relation
// @types cooperationTypes: cooperation
// @example {}
MATCH (a)-[r]-(b)
WHERE type(r) IN $cooperationTypes AND a.country <= b.country AND ($asOf IS NULL OR r.validFrom <= $asOf AND coalesce(r.validUntil > $asOf, true))
RETURN a.country AS country1, b.country AS country2, count(DISTINCT r) AS relations
ORDER BY relations DESC, country1, country2
