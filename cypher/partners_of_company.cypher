// Partners of an entity: who it cooperates with, and by which relationship types.
// Cooperation types are PARTNERS_WITH|JOINT_VENTURE|SUPPLIES|SIGNED_MOU|OWNS|INVESTS_IN (both directions).
// @param company: entity id, e.g. "volkswagen-group"
// @param types: relationship types to follow; [] for all cooperation types
// @example {"company": "volkswagen-group", "types": []}
MATCH (c {id: $company})-[r]-(p)
WHERE (size($types) = 0 AND type(r) IN ['PARTNERS_WITH', 'JOINT_VENTURE', 'SUPPLIES', 'SIGNED_MOU', 'OWNS', 'INVESTS_IN'])
   OR type(r) IN $types
RETURN p.id AS partner, p.name AS name, labels(p)[0] AS label, collect(DISTINCT type(r)) AS types,
       count(r) AS relations
ORDER BY relations DESC, partner
