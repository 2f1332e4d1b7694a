// Disputed claims: relations as their source stated them, with the reference sources that contradict them.
// With $asOf, only the relations that held on that day: validFrom <= $asOf and no validUntil <= $asOf (as `autograph --as-of`).
// @param asOf = null: a date YYYY[-MM[-DD]] (its last day counts), or null for every relation
// @example {}
MATCH (a)-[r]->(b)
WHERE r.disputedBy <> []
  AND ($asOf IS NULL OR r.validFrom <= $asOf AND coalesce(r.validUntil > $asOf, true))
RETURN r.id AS relation, type(r) AS type, a.id AS source, b.id AS target,
  r.status AS status, r.sources AS claimedBy, r.disputedBy AS disputedBy
ORDER BY relation
