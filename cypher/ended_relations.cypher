// Relations whose status is ended: terminated, expired or failed cooperations (e.g. after an insolvency).
// With $asOf, only the relations that held on that day: validFrom <= $asOf and no validUntil <= $asOf (as `autograph --as-of`): an ended relation holds until its end (validUntil).
// @param asOf = null: a date YYYY[-MM[-DD]] (its last day counts), or null for every relation
// @example {}
MATCH (a)-[r {status: 'ended'}]->(b)
WHERE $asOf IS NULL OR r.validFrom <= $asOf AND coalesce(r.validUntil > $asOf, true)
RETURN type(r) AS type, a.id AS source, b.id AS target, r.evidence AS evidence,
  r.sources AS sources
ORDER BY type, source, target
