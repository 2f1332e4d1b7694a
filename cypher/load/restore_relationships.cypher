// Undo: put back the properties relationships of one type in one dataset had before a failed load.
UNWIND $rows AS row
MATCH ()-[r:__TYPE__ {id: row.id}]->()
WHERE r._dataset = $dataset
SET r = row.props
