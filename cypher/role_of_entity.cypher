// The role of an entity (e.g. CATL): every relation with its counterpart, direction, status and sources.
// Direction is out or in; symmetric relationship types (a partnership) say both.
// With $asOf, only the relations that held on that day: validFrom <= $asOf and no validUntil <= $asOf (as `autograph --as-of`).
// An undated relation (no validFrom) never holds on a given day.
// @param entity: entity id, e.g. "catl"
// @param asOf = null: a date YYYY[-MM[-DD]] (its last day counts), or null for every relation
// @types symmetricTypes: symmetric
// @example {"entity": "catl"}
MATCH (e {id: $entity})-[r]-(other)
WHERE $asOf IS NULL OR r.validFrom <= $asOf AND coalesce(r.validUntil > $asOf, true)
RETURN type(r) AS type,
  CASE WHEN type(r) IN $symmetricTypes THEN 'both'
       WHEN startNode(r) = e THEN 'out' ELSE 'in' END AS direction,
  other.id AS counterpart, other.name AS name, labels(other)[0] AS label,
  other.country AS country, r.status AS status, r.sources AS sources
