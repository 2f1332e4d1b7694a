// Create or update the nodes of one label. Each row is {id, props}; props replaces every property,
// and the run's tags are set once per statement, not repeated in every row.
UNWIND $rows AS row
MERGE (n:__LABEL__ {id: row.id})
SET n = row.props, n.id = row.id, n._dataset = $dataset, n._load = $run
