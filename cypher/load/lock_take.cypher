// Take the load lock of a dataset, unless another run holds it and its lease has not expired.
// Returns the run holding the lock afterwards (ours when we got it) and the lease left, in ms.
// The lock is a node without label or _dataset, so no query about the data sees it.
MERGE (l {_lockDataset: $dataset})
ON CREATE SET l._lockRun = $run, l._lockExpires = timestamp() + $lease
WITH l, l._lockRun = $run OR l._lockExpires < timestamp() AS free
SET l._lockRun = CASE WHEN free THEN $run ELSE l._lockRun END,
    l._lockExpires = CASE WHEN free THEN timestamp() + $lease ELSE l._lockExpires END
RETURN l._lockRun AS run, l._lockExpires - timestamp() AS lease
