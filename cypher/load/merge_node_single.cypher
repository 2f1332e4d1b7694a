// The naive loader of bench/bench_neo4j_load.py: one statement per node (for comparison only).
MERGE (n:__LABEL__ {id: $id})
SET n = $props
