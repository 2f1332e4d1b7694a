// Create or update the nodes of one label in one dataset (ids are unique per dataset: another
// dataset's node with the same id is a different node). Each row is {id, props}; props replaces
// every property and holds id, _dataset and _load (the load that last wrote the node: --replace
// removes the others). Returns how many rows it wrote.
UNWIND $rows AS row
MERGE (n:__LABEL__ {id: row.id, _dataset: $dataset})
SET n = row.props
RETURN count(*) AS written
