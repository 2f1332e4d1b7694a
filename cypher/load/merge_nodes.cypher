// Create or update the nodes of one label. Each row is {id, props}; props replaces every property.
UNWIND $rows AS row
MERGE (n:__LABEL__ {id: row.id})
SET n = row.props
