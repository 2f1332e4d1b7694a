// The first statement of a load's transaction: the dataset's node, whose write lock keeps any
// other load of the same dataset waiting until this transaction ends. Returns the folder the
// dataset was loaded from before (this load's own for a new dataset) and whether it existed.
MERGE (d:AutographDataset {name: $dataset})
ON CREATE SET d.source = $source
WITH d, d.source AS previous, d.run IS NOT NULL AS existed
SET d.source = $source, d.run = $run, d.loadedAt = datetime()
RETURN previous, existed
