// Undo: put back the properties relationships of one type had before a failed load.
UNWIND $rows AS row
MATCH ()-[r:__TYPE__ {id: row.id}]->()
SET r = row.props
