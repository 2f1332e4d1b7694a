// Delete relationships of one type by element id (the moved ones of a reload, read in the same
// transaction by load/relationship_ends). Each row is {element}.
UNWIND $rows AS row
MATCH ()-[r:__TYPE__]->()
WHERE elementId(r) = row.element
DELETE r
