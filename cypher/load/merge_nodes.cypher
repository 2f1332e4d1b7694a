// Create or update the nodes of one label in one dataset (ids are unique per dataset: another
// dataset's node with the same id is a different node). Each row is {id, props}; props replaces
// every property. _load names the load that last wrote the node (--replace removes the others).
// Returns how many rows it wrote.
UNWIND $rows AS row
MERGE (n:__LABEL__ {id: row.id, _dataset: $dataset})
SET n = row.props, n.id = row.id, n._dataset = $dataset, n._load = $run
RETURN count(*) AS written
