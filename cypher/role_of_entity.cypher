// The role of an entity (e.g. CATL): every relation with its counterpart, direction, status and sources.
// @param entity: entity id, e.g. "catl"
// @example {"entity": "catl"}
MATCH (e {id: $entity})-[r]->(o)
RETURN type(r) AS type, 'out' AS direction, o.id AS counterpart, o.name AS name,
       labels(o)[0] AS label, o.country AS country, r.status AS status, r.sources AS sources
UNION ALL
MATCH (e {id: $entity})<-[r]-(o)
RETURN type(r) AS type, 'in' AS direction, o.id AS counterpart, o.name AS name,
       labels(o)[0] AS label, o.country AS country, r.status AS status, r.sources AS sources
