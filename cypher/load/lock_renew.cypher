// Renew the lease of a dataset's load lock held by this run.
MATCH (l {_lockDataset: $dataset})
WHERE l._lockRun = $run
SET l._lockExpires = timestamp() + $lease
RETURN count(l) AS held
