// Create or update relationships of one type between two labels. Each row is {id, source, target, props}.
UNWIND $rows AS row
MATCH (a:__START__ {id: row.source})
MATCH (b:__END__ {id: row.target})
MERGE (a)-[r:__TYPE__ {id: row.id}]->(b)
SET r = row.props, r.id = row.id, r._dataset = $dataset, r._load = $run
