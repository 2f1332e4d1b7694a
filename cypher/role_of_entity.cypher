// The role of an entity (e.g. CATL): every relation with its counterpart, direction, status and sources.
// Direction is out or in; symmetric relationship types (a partnership) say both.
// @param entity: entity id, e.g. "catl"
// @types symmetricTypes: symmetric
// @example {"entity": "catl"}
MATCH (e {id: $entity})-[r]->(o)
RETURN type(r) AS type, CASE WHEN type(r) IN $symmetricTypes THEN 'both' ELSE 'out' END AS direction,
       o.id AS counterpart, o.name AS name, labels(o)[0] AS label, o.country AS country,
       r.status AS status, r.sources AS sources
UNION ALL
MATCH (e {id: $entity})<-[r]-(o)
RETURN type(r) AS type, CASE WHEN type(r) IN $symmetricTypes THEN 'both' ELSE 'in' END AS direction,
       o.id AS counterpart, o.name AS name, labels(o)[0] AS label, o.country AS country,
       r.status AS status, r.sources AS sources
