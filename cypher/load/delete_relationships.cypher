// Delete relationships of one type in one dataset by id (the moved ones of a reload). Each row
// is {id}.
UNWIND $rows AS row
MATCH ()-[r:__TYPE__ {id: row.id, _dataset: $dataset}]->()
DELETE r
