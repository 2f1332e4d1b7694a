// Disputed claims: relations as their source stated them, with the reference sources that contradict them.
// @example {}
MATCH (a)-[r]->(b)
WHERE size(coalesce(r.disputedBy, [])) > 0
RETURN r.id AS relation, type(r) AS type, a.id AS source, b.id AS target, r.status AS status,
       r.sources AS claimedBy, r.disputedBy AS disputedBy
ORDER BY relation
