// Supply relations into a plant: deliveries to the plant itself and to the companies that operate it.
// @param plant: plant id, e.g. "plant-daf-temse"
// @example {"plant": "plant-daf-temse"}
MATCH (p:Plant {id: $plant})
OPTIONAL MATCH (op)-[:OPERATES]->(p)
WITH p, collect(op.id) AS operators
MATCH (s)-[r:SUPPLIES]->(x)
WHERE x.id = p.id OR x.id IN operators
RETURN s.id AS supplier, s.name AS name, x.id AS deliversTo, r.status AS status,
       r.sources AS sources, r.evidence AS evidence
ORDER BY supplier, deliversTo
