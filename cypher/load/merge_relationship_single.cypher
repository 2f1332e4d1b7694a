// The naive loader of bench/bench_neo4j_load.py: one statement per relationship (for comparison only).
MATCH (a:__START__ {id: $source})
MATCH (b:__END__ {id: $target})
MERGE (a)-[r:__TYPE__ {id: $id}]->(b)
SET r = $props
