// Multi-party agreements as one fact each: a deal's parties with their roles, its status, date and sources.
// date is the deal's date (a native date: the first day of its period, see datePrecision on the deal).
// With $asOf, only the relations that held on that day: validFrom <= $asOf and no validUntil <= $asOf (as `autograph --as-of`): a deal is listed with the parties whose PARTY_TO relation held.
// @param deal: deal id, e.g. "deal-tyre-recycling"; "" for every deal
// @param asOf = null: a date YYYY[-MM[-DD]] (its last day counts), or null for every relation
// @example {"deal": "deal-tyre-recycling"}
MATCH (d:Deal)
WHERE $deal = '' OR d.id = $deal
MATCH (party)-[r:PARTY_TO]->(d)
WHERE $asOf IS NULL OR r.validFrom <= $asOf AND coalesce(r.validUntil > $asOf, true)
WITH d, party, r ORDER BY party.id
RETURN d.id AS deal, d.name AS name, d.status AS status, d.date AS date, d.sources AS sources,
  collect(party.id) AS parties, collect(r.role) AS roles
ORDER BY deal
