// Cooperation between countries: how many cooperation relations link entities of two countries (pairs unordered, domestic included).
// Cooperation types are the schema's cooperation group; each relation counts once.
// @types cooperationTypes: cooperation
// @example {}
MATCH (a)-[r]->(b)
WHERE type(r) IN $cooperationTypes AND a.country IS NOT NULL AND b.country IS NOT NULL
WITH r, CASE WHEN a.country <= b.country THEN a.country ELSE b.country END AS country1,
     CASE WHEN a.country <= b.country THEN b.country ELSE a.country END AS country2
RETURN country1, country2, count(r) AS relations
ORDER BY relations DESC, country1, country2
