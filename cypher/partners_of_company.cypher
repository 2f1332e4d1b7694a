// Partners of an entity: who it cooperates with, and by which relationship types.
// Follows the schema's cooperation types, in both directions, unless types are given.
// @param company: entity id, e.g. "volkswagen-group"
// @param types: relationship types to follow; [] for all cooperation types
// @types cooperationTypes: cooperation
// @example {"company": "volkswagen-group", "types": []}
MATCH (c {id: $company})-[r]-(p)
WHERE (size($types) = 0 AND type(r) IN $cooperationTypes) OR type(r) IN $types
RETURN p.id AS partner, p.name AS name, labels(p)[0] AS label, collect(DISTINCT type(r)) AS types,
       count(r) AS relations
ORDER BY relations DESC, partner
