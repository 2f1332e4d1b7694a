// Multi-party agreements as one fact each: a deal's parties with their roles, its status, date and sources.
// @param deal: deal id, e.g. "deal-tyre-recycling"; "" for every deal
// @example {"deal": "deal-tyre-recycling"}
MATCH (p)-[r:PARTY_TO]->(d:Deal)
WHERE $deal = '' OR d.id = $deal
WITH d, p, r
ORDER BY p.id
RETURN d.id AS deal, d.name AS name, d.status AS status, toString(d.date) AS date,
       d.sources AS sources, collect(p.id) AS parties, collect(r.role) AS roles
ORDER BY deal
