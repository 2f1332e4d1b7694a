// Undo: remove the nodes a failed load created (tagged with its run id, not there before).
MATCH (n)
WHERE n._load = $run AND NOT n.id IN $keep
DETACH DELETE n
