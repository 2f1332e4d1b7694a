// Companies ranked by their number of distinct cooperation partners.
// Cooperation types are PARTNERS_WITH|JOINT_VENTURE|SUPPLIES|SIGNED_MOU|OWNS|INVESTS_IN (both directions).
// @param limit: how many companies to return
// @example {"limit": 10}
MATCH (c:Company)-[:PARTNERS_WITH|JOINT_VENTURE|SUPPLIES|SIGNED_MOU|OWNS|INVESTS_IN]-(p)
RETURN c.id AS company, c.name AS name, count(DISTINCT p) AS partners
ORDER BY partners DESC, company
LIMIT $limit
