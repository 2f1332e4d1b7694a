// Supply relations into a plant: deliveries to the plant itself and to the companies that operate it.
// With $asOf, only the relations that held on that day: validFrom <= $asOf and no validUntil <= $asOf (as `autograph --as-of`): the supply relation, and the OPERATES relation of an operator.
// @param plant: plant id, e.g. "plant-daf-temse"
// @param asOf = null: a date YYYY[-MM[-DD]] (its last day counts), or null for every relation
// @example {"plant": "plant-daf-temse"}
MATCH (p:Plant {id: $plant})
MATCH (supplier)-[r:SUPPLIES]->(receiver)
WHERE (receiver = p OR EXISTS {
    MATCH (receiver)-[o:OPERATES]->(p)
    WHERE $asOf IS NULL OR o.validFrom <= $asOf AND coalesce(o.validUntil > $asOf, true) })
  AND ($asOf IS NULL OR r.validFrom <= $asOf AND coalesce(r.validUntil > $asOf, true))
RETURN supplier.id AS supplier, supplier.name AS name, receiver.id AS deliversTo,
  r.status AS status, r.sources AS sources, r.evidence AS evidence
ORDER BY supplier, deliversTo
