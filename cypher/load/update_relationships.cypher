// Update relationships of one type that the dataset holds already between the same ends (a
// reload), found by the element id read in the same transaction (load/relationship_ends): not by
// the id index, whose changes in the transaction (SET r = ... rewrites id) each lookup would
// consult. Each row is {element, props}, props with id, _dataset and _load as in merge_nodes.
// Returns how many rows it wrote.
UNWIND $rows AS row
MATCH ()-[r:__TYPE__]->()
WHERE elementId(r) = row.element
SET r = row.props
RETURN count(*) AS written
