// The naive loader of bench/bench_neo4j_load.py: one statement per node (for comparison only),
// keyed as load keys them (the constraint's index finds them).
MERGE (n:__LABEL__ {id: $id, _dataset: $dataset})
SET n = $props
