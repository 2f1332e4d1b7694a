// All joint ventures and memoranda of understanding, with their dates, deals and sources.
// date is a native date, the first day of its period; datePrecision says whether that is a year, month or day.
// Rows come in no particular order: add ORDER BY date (or type, party1) to sort them.
// With $asOf, only the relations that held on that day: validFrom <= $asOf and no validUntil <= $asOf (as `autograph --as-of`).
// @param asOf = null: a date YYYY[-MM[-DD]] (its last day counts), or null for every relation
// @example {}
MATCH (a)-[r:JOINT_VENTURE|SIGNED_MOU]->(b)
WHERE $asOf IS NULL OR r.validFrom <= $asOf AND coalesce(r.validUntil > $asOf, true)
RETURN type(r) AS type, a.id AS party1, b.id AS party2, r.date AS date,
  r.datePrecision AS datePrecision, r.status AS status, r.deal AS deal, r.sources AS sources
