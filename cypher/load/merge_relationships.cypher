// Create or update relationships of one type between two labels, within one dataset. Each row
// is {id, source, target, props}. _load as in merge_nodes. Returns how many rows it wrote (a
// row whose ends are not found writes nothing).
UNWIND $rows AS row
MATCH (a:__START__ {id: row.source, _dataset: $dataset})
MATCH (b:__END__ {id: row.target, _dataset: $dataset})
MERGE (a)-[r:__TYPE__ {id: row.id, _dataset: $dataset}]->(b)
SET r = row.props, r.id = row.id, r._dataset = $dataset, r._load = $run
RETURN count(*) AS written
