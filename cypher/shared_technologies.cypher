// Technology platforms shared across brands: technologies used by more than one company, directly, through a plant it operates or a model it makes.
// @example {}
MATCH (c:Company)-[:OPERATES|PRODUCES|DEVELOPS*0..1]->(x)-[:USES_TECHNOLOGY|DEVELOPS]->(t:Technology)
WITH t, collect(DISTINCT c.id) AS companies
WHERE size(companies) > 1
RETURN t.id AS technology, t.name AS name, companies, size(companies) AS brands
ORDER BY brands DESC, technology
