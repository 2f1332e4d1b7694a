// The current properties of the nodes of one label among the given ids, to undo a failed load.
UNWIND $ids AS id
MATCH (n:__LABEL__ {id: id})
RETURN n.id AS id, properties(n) AS properties
