// Create or update relationships of one type between two labels, within one dataset. Each row is
// {id, source, target, props}; _load and _created as in merge_nodes.
UNWIND $rows AS row
MATCH (a:__START__ {id: row.source, _dataset: $dataset})
MATCH (b:__END__ {id: row.target, _dataset: $dataset})
MERGE (a)-[r:__TYPE__ {id: row.id}]->(b)
WITH r, row, r._load AS previous
SET r = row.props, r.id = row.id, r._dataset = $dataset, r._load = $run,
    r._created = CASE WHEN previous IS NULL THEN $run END
