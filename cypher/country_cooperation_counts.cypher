// Cooperation between countries: how many cooperation relations link entities of two countries (pairs unordered, domestic included).
// @example {}
MATCH (a)-[r:PARTNERS_WITH|JOINT_VENTURE|SUPPLIES|SIGNED_MOU|OWNS|INVESTS_IN]->(b)
WHERE a.country IS NOT NULL AND b.country IS NOT NULL
WITH r, CASE WHEN a.country <= b.country THEN a.country ELSE b.country END AS country1,
     CASE WHEN a.country <= b.country THEN b.country ELSE a.country END AS country2
RETURN country1, country2, count(r) AS relations
ORDER BY relations DESC, country1, country2
