// Multi-party agreements as one fact each: a deal's parties with their roles, its status, date and sources.
// With $asOf, only the parties whose PARTY_TO relation held then, as `autograph --as-of` (see role_of_entity.cypher).
// @param asOf = null: YYYY[-MM[-DD]], or null for every relation
// @param datedSources = []: ids of the dated sources (dates relations that have none of their own)
// @param sourceDates = []: their dates, in the same order
// @param deal: deal id, e.g. "deal-tyre-recycling"; "" for every deal
// @example {"deal": "deal-tyre-recycling"}
MATCH (p)-[r:PARTY_TO]->(d:Deal)
WHERE $deal = '' OR d.id = $deal
WITH d, p, r, coalesce(toString(r.date), toString(r.asOf),
     reduce(m = null, i IN range(0, size($datedSources) - 1) |
            CASE WHEN $datedSources[i] IN coalesce(r.sources, []) AND (m IS NULL OR $sourceDates[i] < m)
                 THEN $sourceDates[i] ELSE m END)) AS since
WITH d, p, r, since, coalesce(toString(r.endDate), CASE WHEN r.status = 'ended' THEN since END) AS until
WHERE $asOf IS NULL OR (since <= $asOf + '~' AND (until IS NULL OR until > $asOf + '~'))
WITH d, p, r
ORDER BY p.id
RETURN d.id AS deal, d.name AS name, d.status AS status, toString(d.date) AS date,
       d.sources AS sources, collect(p.id) AS parties, collect(r.role) AS roles
ORDER BY deal
