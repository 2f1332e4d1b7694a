// On a reload, inside the load's transaction: the ends of the dataset's relationships, to find
// those whose id now joins other nodes (they are deleted first, then merged between the new ends).
MATCH (a)-[r]->(b)
WHERE r._dataset = $dataset
RETURN type(r) AS type, r.id AS id, a.id AS source, b.id AS target
