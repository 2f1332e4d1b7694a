// Undo: remove the relationships a failed load created (tagged with its run id, not there before).
MATCH ()-[r]->()
WHERE r._load = $run AND NOT r.id IN $keep
DELETE r
