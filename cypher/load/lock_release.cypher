// Release a dataset's load lock held by this run.
MATCH (l {_lockDataset: $dataset})
WHERE l._lockRun = $run
DELETE l
