// How many nodes and relationships of a dataset a load's run wrote (_load) and created (_created).
MATCH (n)
WHERE n._dataset = $dataset AND (n._load = $run OR n._created = $run)
WITH sum(CASE WHEN n._load = $run THEN 1 ELSE 0 END) AS nodes,
     sum(CASE WHEN n._created = $run THEN 1 ELSE 0 END) AS createdNodes
OPTIONAL MATCH ()-[r]->()
WHERE r._dataset = $dataset AND (r._load = $run OR r._created = $run)
RETURN nodes, sum(CASE WHEN r._load = $run THEN 1 ELSE 0 END) AS relationships,
       createdNodes, sum(CASE WHEN r._created = $run THEN 1 ELSE 0 END) AS createdRelationships
