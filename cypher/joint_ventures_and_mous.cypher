// All joint ventures and memoranda of understanding, with their dates, deals and sources.
// Dates are returned as text (first day of the period; see datePrecision).
// @example {}
MATCH (a)-[r:JOINT_VENTURE|SIGNED_MOU]->(b)
RETURN type(r) AS type, a.id AS party1, b.id AS party2, toString(r.date) AS date,
       r.datePrecision AS datePrecision, r.status AS status, r.deal AS deal, r.sources AS sources
ORDER BY type, party1, party2
