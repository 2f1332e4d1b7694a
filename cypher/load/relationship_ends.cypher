// On a reload, inside the load's transaction: the ends of the dataset's relationships and their
// element ids. A relationship whose id now joins other nodes is deleted, then created between
// the new ends; one between the same ends is updated, found by its element id.
MATCH (a)-[r]->(b)
WHERE r._dataset = $dataset
RETURN type(r) AS type, r.id AS id, a.id AS source, b.id AS target, elementId(r) AS element
