// The relationships of a dataset as they are before a load (type, id, properties), to undo it if it fails.
MATCH ()-[r]->()
WHERE r._dataset = $dataset
RETURN type(r) AS type, r.id AS id, properties(r) AS properties
