// Partners of an entity: who it cooperates with, and by which relationship types.
// Follows the schema's cooperation types, in both directions, unless types are given.
// With $asOf, only the relations that held on that day: validFrom <= $asOf and no validUntil <= $asOf (as `autograph --as-of`).
// @param company: entity id, e.g. "volkswagen-group"
// @param types: relationship types to follow; [] for all cooperation types
// @param asOf = null: a date YYYY[-MM[-DD]] (its last day counts), or null for every relation
// @types cooperationTypes: cooperation
// @example {"company": "volkswagen-group", "types": []}
MATCH (c {id: $company})-[r]-(partner)
WHERE type(r) IN (CASE $types WHEN [] THEN $cooperationTypes ELSE $types END)
  AND ($asOf IS NULL OR r.validFrom <= $asOf AND coalesce(r.validUntil > $asOf, true))
RETURN partner.id AS partner, partner.name AS name, labels(partner)[0] AS label,
  collect(DISTINCT type(r)) AS types, count(r) AS relations
ORDER BY relations DESC, partner
