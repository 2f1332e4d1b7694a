// A regional hub (e.g. Flanders): plants located in or belonging to a region, their operators, technologies, suppliers and foreign partners.
// Plants count when a chain of up to three geography relations (the schema's geography group) leads to the region.
// Foreign partners are cooperation partners of the operators whose country differs from the region's.
// @param region: region id, e.g. "flanders"
// @types geographyTypes: geography
// @types cooperationTypes: cooperation
// @example {"region": "flanders"}
MATCH (reg:Region {id: $region})
MATCH chain = (p:Plant)-[*1..3]->(reg)
WHERE all(link IN relationships(chain) WHERE type(link) IN $geographyTypes)
WITH DISTINCT reg, p
OPTIONAL MATCH (op)-[:OPERATES]->(p)
OPTIONAL MATCH (p)-[:USES_TECHNOLOGY]->(t:Technology)
OPTIONAL MATCH (s)-[:SUPPLIES]->(p)
OPTIONAL MATCH (op)-[pr]-(partner)
WHERE type(pr) IN $cooperationTypes AND partner.country IS NOT NULL AND partner.country <> reg.country
RETURN p.id AS plant, p.name AS name, collect(DISTINCT op.id) AS operators,
       collect(DISTINCT t.id) AS technologies, collect(DISTINCT s.id) AS suppliers,
       collect(DISTINCT partner.id) AS foreignPartners
ORDER BY plant
