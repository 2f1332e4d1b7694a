// Create or update the nodes of one label in one dataset (ids are scoped per dataset: another
// dataset's node with the same id is a different node). Each row is {id, props}; props replaces
// every property. _load tags the run that last wrote the node; _created tags the run that
// created it (and is removed when a later run updates it), so a failed run's own nodes can be
// told apart from nodes that existed before it.
UNWIND $rows AS row
MERGE (n:__LABEL__ {id: row.id, _dataset: $dataset})
WITH n, row, n._load AS previous
SET n = row.props, n.id = row.id, n._dataset = $dataset, n._load = $run,
    n._created = CASE WHEN previous IS NULL THEN $run END
