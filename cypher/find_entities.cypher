// Find entities whose id, name or one of whose aliases contains a text (case-insensitive).
// @param text: part of an id, name or alias, e.g. "volks"
// @example {"text": "volks"}
MATCH (n)
WHERE toLower(n.id) CONTAINS toLower($text) OR toLower(n.name) CONTAINS toLower($text)
   OR any(alias IN n.aliases WHERE toLower(alias) CONTAINS toLower($text))
RETURN n.id AS id, n.name AS name, labels(n)[0] AS label, n.country AS country
ORDER BY id
