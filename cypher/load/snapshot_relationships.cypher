// The current properties of the relationships of one type among the given ids, to undo a failed load.
UNWIND $ids AS id
MATCH ()-[r:__TYPE__ {id: id}]->()
RETURN r.id AS id, properties(r) AS properties
