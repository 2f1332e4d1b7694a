// Create the nodes of one label in a dataset's first load. Each row is {id, props}; props holds
// every property, with id, _dataset and _load (the load that wrote it: --replace removes the
// others). The uniqueness constraint refuses an id the dataset holds already. Returns how many
// rows it wrote.
UNWIND $rows AS row
CREATE (n:__LABEL__)
SET n = row.props
RETURN count(*) AS written
