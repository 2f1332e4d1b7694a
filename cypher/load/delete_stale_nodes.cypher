// --replace: after a successful load, remove this dataset's nodes an earlier load wrote.
MATCH (n)
WHERE n._dataset = $dataset AND n._load <> $run
DETACH DELETE n
