// A regional hub (e.g. Flanders): plants located in or belonging to a region, their operators, technologies, suppliers and foreign partners.
// Plants count when a chain of one to three geography relations (the schema's geography group) leads to the region:
// the quantified path pattern (()-[g]->()){1,3} repeats one relationship, each with the WHERE inside it.
// Foreign partners are cooperation partners of the operators whose country differs from the region's.
// With $asOf, only the relations that held on that day: validFrom <= $asOf and no validUntil <= $asOf (as `autograph --as-of`): every relation of a chain, and each relation that links a plant to the others.
// @param region: region id, e.g. "flanders"
// @param asOf = null: a date YYYY[-MM[-DD]] (its last day counts), or null for every relation
// @types geographyTypes: geography
// @types cooperationTypes: cooperation
// @example {"region": "flanders"}
MATCH (p:Plant)
      (()-[g WHERE type(g) IN $geographyTypes
              AND ($asOf IS NULL OR g.validFrom <= $asOf AND coalesce(g.validUntil > $asOf, true))]->()){1,3}
      (reg:Region {id: $region})
OPTIONAL MATCH (op)-[o:OPERATES]->(p)
WHERE $asOf IS NULL OR o.validFrom <= $asOf AND coalesce(o.validUntil > $asOf, true)
OPTIONAL MATCH (op)-[c]-(ally)
WHERE type(c) IN $cooperationTypes AND ally.country <> reg.country
  AND ($asOf IS NULL OR c.validFrom <= $asOf AND coalesce(c.validUntil > $asOf, true))
OPTIONAL MATCH (p)-[u:USES_TECHNOLOGY]->(t)
WHERE $asOf IS NULL OR u.validFrom <= $asOf AND coalesce(u.validUntil > $asOf, true)
OPTIONAL MATCH (s)-[d:SUPPLIES]->(p)
WHERE $asOf IS NULL OR d.validFrom <= $asOf AND coalesce(d.validUntil > $asOf, true)
RETURN p.id AS plant, p.name AS name, collect(DISTINCT op.id) AS operators,
  collect(DISTINCT t.id) AS technologies, collect(DISTINCT s.id) AS suppliers,
  collect(DISTINCT ally.id) AS foreignPartners
ORDER BY plant
