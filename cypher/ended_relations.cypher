// Relations whose status is ended: terminated, expired or failed cooperations (e.g. after an insolvency).
// @example {}
MATCH (a)-[r]->(b)
WHERE r.status = 'ended'
RETURN type(r) AS type, a.id AS source, b.id AS target, r.evidence AS evidence, r.sources AS sources
ORDER BY type, source, target
