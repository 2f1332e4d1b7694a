// Create relationships of one type between two labels, within one dataset: those the dataset
// does not hold yet (all of them on a first load; on a reload, the new and the moved ones). Each
// row is {id, source, target, props}, props with id, _dataset and _load as in merge_nodes; the
// uniqueness constraint refuses an id the dataset holds already. Returns how many rows it wrote
// (a row whose ends are not found writes nothing).
UNWIND $rows AS row
MATCH (a:__START__ {id: row.source, _dataset: $dataset})
MATCH (b:__END__ {id: row.target, _dataset: $dataset})
CREATE (a)-[r:__TYPE__]->(b)
SET r = row.props
RETURN count(*) AS written
