// Companies ranked by their number of distinct cooperation partners.
// Cooperation types are the schema's cooperation group (both directions).
// @param limit: how many companies to return
// @types cooperationTypes: cooperation
// @example {"limit": 10}
MATCH (c:Company)-[r]-(p)
WHERE type(r) IN $cooperationTypes
RETURN c.id AS company, c.name AS name, count(DISTINCT p) AS partners
ORDER BY partners DESC, company
LIMIT $limit
