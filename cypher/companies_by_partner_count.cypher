// Companies ranked by their number of distinct cooperation partners.
// Cooperation types are the schema's cooperation group (both directions).
// With $asOf, only the relations that held on that day: validFrom <= $asOf and no validUntil <= $asOf (as `autograph --as-of`).
// @param limit: how many companies to return
// @param asOf = null: a date YYYY[-MM[-DD]] (its last day counts), or null for every relation
// @types cooperationTypes: cooperation
// @example {"limit": 10}
MATCH (c:Company)-[r]-(partner)
WHERE type(r) IN $cooperationTypes AND ($asOf IS NULL OR r.validFrom <= $asOf AND coalesce(r.validUntil > $asOf, true))
RETURN c.id AS company, c.name AS name, count(DISTINCT partner) AS partners
ORDER BY partners DESC, company
LIMIT $limit
