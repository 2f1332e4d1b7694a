// --replace: after a successful load, remove this dataset's relationships an earlier load wrote.
MATCH ()-[r]->()
WHERE r._dataset = $dataset AND r._load <> $run
DELETE r
