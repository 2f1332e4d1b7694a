// A regional hub (e.g. Flanders): plants located in or belonging to a region, their operators, technologies, suppliers and foreign partners.
// Plants count when a chain of up to three LOCATED_IN or MEMBER_OF relations leads to the region.
// Foreign partners are cooperation partners of the operators whose country differs from the region's.
// @param region: region id, e.g. "flanders"
// @example {"region": "flanders"}
MATCH (reg:Region {id: $region})
MATCH (p:Plant)-[:LOCATED_IN|MEMBER_OF*1..3]->(reg)
OPTIONAL MATCH (op)-[:OPERATES]->(p)
OPTIONAL MATCH (p)-[:USES_TECHNOLOGY]->(t:Technology)
OPTIONAL MATCH (s)-[:SUPPLIES]->(p)
OPTIONAL MATCH (op)-[:PARTNERS_WITH|JOINT_VENTURE|SUPPLIES|SIGNED_MOU|OWNS|INVESTS_IN]-(partner)
WHERE partner.country IS NOT NULL AND partner.country <> reg.country
RETURN p.id AS plant, p.name AS name, collect(DISTINCT op.id) AS operators,
       collect(DISTINCT t.id) AS technologies, collect(DISTINCT s.id) AS suppliers,
       collect(DISTINCT partner.id) AS foreignPartners
ORDER BY plant
