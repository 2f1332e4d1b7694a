// Technology platforms shared across brands: technologies used by more than one company, directly, through a plant it operates or a model it makes.
// The optional first hop (*0..1) is the plant, model or technology through which a company uses it.
// With $asOf, only the relations that held on that day: validFrom <= $asOf and no validUntil <= $asOf (as `autograph --as-of`): every relation of a path.
// @param asOf = null: a date YYYY[-MM[-DD]] (its last day counts), or null for every relation
// @example {}
MATCH path = (c:Company)-[:OPERATES|PRODUCES|DEVELOPS*0..1]->()
             -[:USES_TECHNOLOGY|DEVELOPS]->(t:Technology)
WHERE all(r IN relationships(path)
          WHERE $asOf IS NULL OR r.validFrom <= $asOf AND coalesce(r.validUntil > $asOf, true))
WITH t, collect(DISTINCT c.id) AS companies
WHERE size(companies) > 1
RETURN t.id AS technology, t.name AS name, companies, size(companies) AS brands
ORDER BY brands DESC, technology
