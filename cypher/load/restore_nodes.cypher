// Undo: put back the properties nodes of one label had before a failed load.
UNWIND $rows AS row
MATCH (n:__LABEL__ {id: row.id})
SET n = row.props
