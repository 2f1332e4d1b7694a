// Undo: put back the properties nodes of one label in one dataset had before a failed load.
UNWIND $rows AS row
MATCH (n:__LABEL__ {id: row.id, _dataset: $dataset})
SET n = row.props
