// Update relationships of one type that the dataset holds already between the same ends (a
// reload), found by id through the uniqueness constraint's index. Each row is {id, props}, props
// with id, _dataset and _load as in merge_nodes. Returns how many rows it wrote.
UNWIND $rows AS row
MATCH ()-[r:__TYPE__ {id: row.id, _dataset: $dataset}]->()
SET r = row.props
RETURN count(*) AS written
