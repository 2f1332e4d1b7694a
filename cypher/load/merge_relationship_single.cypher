// The naive loader of bench/bench_neo4j_load.py: one statement per relationship (for comparison
// only), keyed as load keys them.
MATCH (a:__START__ {id: $source, _dataset: $dataset})
MATCH (b:__END__ {id: $target, _dataset: $dataset})
MERGE (a)-[r:__TYPE__ {id: $id, _dataset: $dataset}]->(b)
SET r = $props
